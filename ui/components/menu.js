// @ts-check
// A "⋯" button that opens a short menu of secondary actions (WAI-ARIA menu button):
// Enter, Space or a click opens it with the first item focused; the arrow keys, Home and
// End move; Escape closes it and returns to the button; Tab or a click elsewhere closes it.

import { h } from './dom.js';

/**
 * @param {string} label what the button says to a screen reader, e.g. "More actions for contoso / Website"
 * @param {HTMLButtonElement[]} items the actions, each with its own click handler
 * @returns {HTMLElement}
 */
export function actionMenu(label, items) {
  const button = h(
    'button',
    { type: 'button', class: 'menu-button', 'data-action': 'more', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-label': label },
    '\u22ef',
  );
  const menu = h('div', { class: 'menu', role: 'menu', 'aria-label': label, hidden: true }, ...items);
  for (const item of items) {
    item.setAttribute('role', 'menuitem');
    item.tabIndex = -1;
  }

  // An item can be hidden while it doesn't apply (a row's Re-authenticate when the row shows
  // its own): the keys and the first focus skip it.
  const shown = () => items.filter((i) => !i.hidden);

  /** @param {PointerEvent} e */
  const outside = (e) => {
    if (!menu.parentElement?.contains(/** @type {Node} */ (e.target))) close(false);
  };
  function open() {
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    shown()[0]?.focus();
    document.addEventListener('pointerdown', outside, true);
  }
  /** @param {boolean} refocus */
  function close(refocus) {
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', outside, true);
    if (refocus) button.focus();
  }

  button.addEventListener('click', () => (menu.hidden ? open() : close(true)));
  // Captured, so the menu is closed (and focus back on its button) before the item's action
  // runs: an action that opens a dialog returns focus to a button that is still on screen.
  menu.addEventListener('click', () => close(true), true);
  menu.addEventListener('keydown', (e) => {
    const list = shown();
    const at = list.indexOf(/** @type {HTMLButtonElement} */ (document.activeElement));
    const moves = { ArrowDown: at + 1, ArrowUp: at - 1 + list.length, Home: 0, End: list.length - 1 };
    if (e.key in moves) {
      e.preventDefault();
      list[moves[/** @type {keyof typeof moves} */ (e.key)] % list.length].focus();
    } else if (e.key === 'Escape') {
      // The view's Escape (Back) must not act as well.
      e.preventDefault();
      e.stopPropagation();
      close(true);
    } else if (e.key === 'Tab') close(false);
  });
  return h('div', { class: 'menu-wrap' }, button, menu);
}
