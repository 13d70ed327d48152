// Starts Swagger UI on the page /api/docs over this site's OpenAPI description (a file, not an
// inline script, so the Content-Security-Policy can forbid inline scripts).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
