// The post editor: the live check sends no file, so tell it the sizes of the images
// chosen, and show one alternative text field per chosen image, named after its file.
// No inline script (CSP); without this script every field is simply shown.
(function () {
  "use strict";
  const PICKER = "input[type=file][data-channel]";

  function update(picker) {
    const channel = picker.dataset.channel;
    const files = Array.from(picker.files || []);
    const sizes = picker.form.querySelector(
      'input[name="selected_' + CSS.escape(channel) + '"]');
    if (sizes) sizes.value = files.map((file) => file.size).join(",");
    const rows = picker.form.querySelectorAll(
      '.new-alt[data-new-alt="' + CSS.escape(channel) + '"]');
    rows.forEach((row, index) => {
      row.hidden = index >= files.length;
      const name = row.querySelector(".file-name");
      if (name) name.textContent = index < files.length ? files[index].name : "";
    });
  }

  function updateAll() {
    document.querySelectorAll(PICKER).forEach(update);
  }

  function chosen(event) {
    if (event.target instanceof HTMLInputElement && event.target.matches(PICKER)) {
      update(event.target);
    }
  }

  document.addEventListener("input", chosen);
  document.addEventListener("change", chosen);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateAll);
  } else {
    updateAll();
  }
})();
