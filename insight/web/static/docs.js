// Starts Swagger UI on /docs (a file, not an inline script: the Content-Security-Policy forbids those).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
