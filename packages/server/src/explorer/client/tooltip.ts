/// <reference lib="dom" />

import { html } from './svg';

// Keeps the box off the pointer so it never hides what is being pointed at.
const OFFSET_PX = 14;

/** The one floating box that shows the values under the pointer. */
export class Tooltip {
  readonly #box: HTMLElement;

  constructor(parent: HTMLElement) {
    this.#box = html('div', { class: 'tooltip', role: 'tooltip', hidden: '' });
    parent.append(this.#box);
  }

  /**
   * Shows `lines()` while the pointer is over `target` or it has keyboard focus; the first
   * line is the heading. Lines are text, never markup (state names come from the data).
   */
  attach(target: Element, lines: () => string[]): void {
    const show = (x: number, y: number) => {
      const [heading, ...rest] = lines();
      this.#box.replaceChildren(html('strong', {}, heading), ...rest.map((line) => html('div', {}, line)));
      this.#box.hidden = false;
      const { width, height } = this.#box.getBoundingClientRect();
      const left = x + OFFSET_PX + width > window.innerWidth ? x - OFFSET_PX - width : x + OFFSET_PX;
      const top = Math.min(y + OFFSET_PX, window.innerHeight - height - 4);
      this.#box.style.left = `${Math.max(4, left)}px`;
      this.#box.style.top = `${Math.max(4, top)}px`;
    };
    const hide = () => {
      this.#box.hidden = true;
    };
    target.addEventListener('pointermove', (event) => {
      const { clientX, clientY } = event as PointerEvent;
      show(clientX, clientY);
    });
    target.addEventListener('pointerleave', hide);
    target.addEventListener('focus', () => {
      const box = target.getBoundingClientRect();
      show(box.right, box.top);
    });
    target.addEventListener('blur', hide);
  }
}
