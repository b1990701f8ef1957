// The CSV dialog: after an upload, pick the two feature columns, the label column and whether
// the label is a class or a number; the server turns them into the points of "your own data".

const $ = (id) => document.getElementById(id);

function option(value, label) {
  const node = document.createElement("option");
  node.value = value;
  node.textContent = label;
  return node;
}

export class CsvDialog {
  /** @param {(choice: {x1, x2, label, task}) => void} onUse */
  constructor(onUse) {
    this.dialog = $("csv-dialog");
    $("csv-cancel").addEventListener("click", () => this.dialog.close());
    $("csv-use").addEventListener("click", () => {
      this.dialog.close();
      onUse({ x1: $("csv-x1").value, x2: $("csv-x2").value, label: $("csv-label").value, task: $("csv-task").value });
    });
  }

  /** Show the columns of an uploaded table (the server's "csv" message). */
  open(summary) {
    $("csv-name").textContent = summary.name;
    $("csv-rows").textContent = `${summary.rows} rows. Columns: ` + summary.columns.map((c) =>
      `${c.name} (${c.numeric ? "numbers" : "text"}, ${c.distinct} distinct, e.g. ${c.examples.join(", ")})`).join("; ");
    for (const id of ["x1", "x2", "label"]) {
      const select = $(`csv-${id}`);
      select.replaceChildren(...summary.columns.map((c) => option(c.name, c.name)));
      select.value = summary.suggestion[id];
    }
    $("csv-task").value = summary.suggestion.task;
    this.dialog.showModal();
  }
}
