// Starts allauth's passkey (WebAuthn) forms without inline script, which the site's CSP
// refuses: allauth's mfa/js/webauthn.js (loaded before this file) does the ceremony; the
// button names its hidden credential field in data-credential, and the server's options
// are in the #js_data JSON block (Django's json_script).
document.addEventListener('DOMContentLoaded', function () {
  const forms = window.allauth && window.allauth.webauthn && window.allauth.webauthn.forms
  if (!forms) return
  const add = document.getElementById('mfa_webauthn_add')
  if (add) {
    forms.addForm({ ids: { add: add.id, credential: add.dataset.credential, data: 'js_data' } })
  }
  const use = document.getElementById('mfa_webauthn_authenticate')
  if (use) {
    forms.authenticateForm({ ids: { authenticate: use.id, credential: use.dataset.credential, data: 'js_data' } })
  }
})

// allauth reports a failed or cancelled ceremony as an "allauth.error" event: say so in
// the page's #webauthn_problem alert.
document.addEventListener('allauth.error', function (event) {
  const box = document.getElementById('webauthn_problem')
  if (!box) return
  event.preventDefault()
  box.textContent = 'The passkey was not used: your browser stopped or refused the request. Try again, or use a code.'
  box.hidden = false
  box.focus()
})
