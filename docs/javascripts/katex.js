// Render the math that pymdownx.arithmatex (generic mode) leaves in the page, with the vendored
// KaTeX; document$ is Material's page-load observable (it fires on instant navigation too).
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false },
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: false,
  });
});
