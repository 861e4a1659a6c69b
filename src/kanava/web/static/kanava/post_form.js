// The post editor: the live check sends no file, so tell it the sizes of the images
// and the video chosen, and show one alternative text field per chosen image, named
// after its file.
// No inline script (CSP); without this script every field is simply shown.
(function () {
  "use strict";
  const PICKER = "input[type=file][data-channel]";
  const VIDEO_PICKER = "input[type=file][data-video-channel]";

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

  function updateVideo(picker) {
    const size = picker.form.querySelector(
      'input[name="selected_video_' + CSS.escape(picker.dataset.videoChannel) + '"]');
    const file = (picker.files || [])[0];
    if (size) size.value = file ? String(file.size) : "";
  }

  function updateAll() {
    document.querySelectorAll(PICKER).forEach(update);
    document.querySelectorAll(VIDEO_PICKER).forEach(updateVideo);
  }

  function chosen(event) {
    if (!(event.target instanceof HTMLInputElement)) return;
    if (event.target.matches(PICKER)) update(event.target);
    if (event.target.matches(VIDEO_PICKER)) updateVideo(event.target);
  }

  document.addEventListener("input", chosen);
  document.addEventListener("change", chosen);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateAll);
  } else {
    updateAll();
  }
})();
