// Printable pages: <button data-print> opens the browser's print dialog (no inline handler,
// which the Content-Security-Policy forbids).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
