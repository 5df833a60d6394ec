// allauth's webauthn.js reports a failed or cancelled passkey ceremony as an
// "allauth.error" event; show it in the page's #webauthn_problem alert (no inline script:
// the site's CSP allows scripts from the site only).
document.addEventListener('allauth.error', function (event) {
  const box = document.getElementById('webauthn_problem')
  if (!box) return
  event.preventDefault()
  box.textContent = 'The passkey was not used: your browser stopped or refused the request. Try again, or use a code.'
  box.hidden = false
  box.focus()
})
