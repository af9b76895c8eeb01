// Starts Swagger UI on the API docs page; a file of its own, as the
// Content-Security-Policy allows no inline script.
window.addEventListener("load", function () {
  var container = document.getElementById("swagger-ui-container");
  window.ui = SwaggerUIBundle({ url: container.dataset.specUrl, dom_id: "#swagger-ui-container" });
});
