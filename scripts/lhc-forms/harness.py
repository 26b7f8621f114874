#!/usr/bin/env python3
"""Write the page that loads the Questionnaire into LHC-Forms, reads each
QuestionnaireResponse into the form, and shows what LHC-Forms exports.

usage: harness.py QUESTIONNAIRE.json OUT.html RESPONSE.json...
"""
import json
import sys

q, out, responses = sys.argv[1], sys.argv[2], sys.argv[3:]
page = """<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="lforms/webcomponent/styles.css">
<script src="lforms/webcomponent/assets/lib/zone.min.js"></script>
<script src="lforms/webcomponent/runtime.js" type="module"></script>
<script src="lforms/webcomponent/polyfills.js" type="module"></script>
<script src="lforms/webcomponent/main.js" type="module"></script>
</head><body><div id="qform"></div><pre id="out">pending</pre><pre id="err"></pre>
<script>
window.onerror = (m, s, l) => { document.getElementById('err').textContent += m + ' ' + s + ':' + l + '\\n'; };
const Q = %s;
const QRS = %s;
const sleep = ms => new Promise(r => setTimeout(r, ms));
async function main() {
  // The web component is a module, loaded after this script; its FHIR
  // support must come after it.
  for (let i = 0; i < 400 && !(window.LForms && LForms.Util && LForms.Util.convertFHIRQuestionnaireToLForms); i++) await sleep(50);
  await new Promise((ok, bad) => { const s = document.createElement('script'); s.src = 'lforms/fhir/R4/lformsFHIR.min.js'; s.onload = ok; s.onerror = bad; document.head.appendChild(s); });
  await LForms.Util.addFormToPage(LForms.Util.convertFHIRQuestionnaireToLForms(Q, 'R4'), 'qform', {fhirVersion: 'R4'});
  await sleep(500); // the form settles before it is replaced
  if (location.search.includes('render')) { document.getElementById('out').textContent = 'rendered'; return; }
  const out = [];
  for (const qr of QRS) {
    const lf = LForms.Util.mergeFHIRDataIntoLForms('QuestionnaireResponse', qr, LForms.Util.convertFHIRQuestionnaireToLForms(Q, 'R4'), 'R4');
    await LForms.Util.addFormToPage(lf, 'qform', {fhirVersion: 'R4'});
    await sleep(200);
    out.push(LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', 'qform'));
  }
  document.getElementById('out').textContent = JSON.stringify(out);
}
main().catch(e => { document.getElementById('err').textContent += 'main: ' + e + '\\n' + e.stack; });
</script></body></html>
""" % (open(q).read(), json.dumps([json.load(open(r)) for r in responses]))
open(out, "w").write(page)
