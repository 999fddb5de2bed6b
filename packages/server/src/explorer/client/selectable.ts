/// <reference lib="dom" />

/**
 * Makes a chart mark act as a button: focusable, chosen by a click or by Enter or Space,
 * so the page works from the keyboard as well as the mouse.
 */
export function makeSelectable(element: Element, onSelect: () => void): void {
  element.setAttribute('tabindex', '0');
  element.setAttribute('role', 'button');
  element.addEventListener('click', onSelect);
  element.addEventListener('keydown', (event) => {
    const { key } = event as KeyboardEvent;
    if (key === 'Enter' || key === ' ') {
      event.preventDefault();
      onSelect();
    }
  });
}
