// The programme file's text area grows with the text, and its line numbers with it (the page
// works without this: the numbers are drawn for the file as it was sent).
document.addEventListener("DOMContentLoaded", () => {
  const text = document.getElementById("source-text");
  const gutter = document.querySelector(".numbered .gutter");
  if (!text || !gutter) return;
  const grow = () => {
    const lines = text.value.split("\n").length + 5;
    if (Number(text.rows) === lines) return;
    text.rows = lines;
    gutter.textContent = Array.from({ length: lines }, (_, i) => i + 1).join("\n") + "\n";
  };
  text.addEventListener("input", grow);
});
