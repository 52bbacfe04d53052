// Builds DOM nodes from data with textContent only (never innerHTML): names and claims from the world cannot inject markup.
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** A two-column table of label/value pairs. */
export function facts(pairs) {
  return h(
    "dl",
    { className: "facts" },
    pairs
      .filter(([, value]) => value !== undefined)
      .flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value)]),
  );
}

/** Shows an error from a button's action next to the page header, for a few seconds. */
export function reportError(error) {
  const bar = document.getElementById("connection");
  bar.textContent = error.message;
  bar.className = "badge bad";
  setTimeout(() => {
    bar.className = "badge good";
    bar.textContent = "live";
  }, 6000);
}
