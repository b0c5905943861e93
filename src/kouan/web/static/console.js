// The console's few behaviours, kept in a file so the Content-Security-Policy can refuse inline script.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.submit();  // a filter that applies as soon as it is chosen (the button stays for no-script)
  }
});
