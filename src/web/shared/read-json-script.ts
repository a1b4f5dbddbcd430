/**
 * Reads data the server embedded in the page as `<script type="application/json" id=…>`.
 * Embedding avoids a round trip before the first render; the server escapes `<` so the JSON
 * cannot close the script element. Returns undefined when the element is missing or not JSON.
 */
export function readJsonScript(id: string): unknown {
  const element = document.getElementById(id);
  if (!element || element.getAttribute('type') !== 'application/json') return undefined;
  try {
    return JSON.parse(element.textContent ?? '') as unknown;
  } catch {
    return undefined;
  }
}
