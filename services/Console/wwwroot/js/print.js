// The 打印 button of a printable page (<button data-print>): the browser's print dialog, which also saves a PDF.
// Listens on the document, so a page that enhanced navigation brings in prints too, without a script of its own.

document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("[data-print]")) {
        window.print();
    }
});
