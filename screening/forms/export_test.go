package forms

// ProposeValue is proposeValue, for the tests.
var ProposeValue = proposeValue
