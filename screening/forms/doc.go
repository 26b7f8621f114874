// Package forms derives from a rule set what a clinic's forms need: the
// templates intakes are collected in, and draft mappings for the exports
// of form tools.
//
//   - CSVHeader is the header row of a blank intake table, and
//     Questionnaire the rule set's questions as a FHIR R4 Questionnaire,
//     in every language the rule set has.
//   - ReadExport reads a form tool's CSV export (its header, and the
//     answers under each column) through intake.CSV, and DraftMapping
//     writes the mapping file for it that intake.LoadMapping reads.
//
// Reading intakes, mapped exports included, is screening/intake's: forms
// imports intake, and never the other way round.
package forms
