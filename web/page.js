// Helpers the account page and the dashboard share. Text only ever goes into the page
// through textContent, never as HTML.

// Puts `text` in the status line `element`, styled as an error when `isError`.
export function showStatus(element, text, isError = false) {
  element.textContent = text;
  element.classList.toggle('error', isError);
}

// A Unix time in seconds, as the browser's locale writes date and time.
export function when(seconds) {
  return new Date(seconds * 1000).toLocaleString();
}

// Appends a <td> holding `text` (with `className`, if any) to `row`; returns it.
export function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) {
    td.className = className;
  }
  row.append(td);
  return td;
}
