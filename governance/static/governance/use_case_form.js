// The use-case form: the image-only fields (images per request, width, height) show for image
// generation only. Without JavaScript they stay visible, with their hint, and the server ignores them
// for other tasks.
(function () {
  "use strict";
  function toggle(form) {
    var task = form.querySelector("[name=task_type]");
    var isImage = task !== null && task.value === "image_generation";
    form.querySelectorAll("[data-task-kind=image]").forEach(function (group) {
      group.hidden = !isImage;
    });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form.use-case-form");
    if (form && event.target.name === "task_type") {
      toggle(form);
    }
  });
  function init() {
    document.querySelectorAll("form.use-case-form").forEach(toggle);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
