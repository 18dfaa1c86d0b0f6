// @ts-check
// A step's one action row: the way back on the left, the step's primary action on the
// right, under the step's content (flow.css keeps it at the window's bottom on a long step).
// Every step of Install fills the same row, so its primary is always in the same place.

import { h, put } from './dom.js';

/**
 * @param {string} label what the row is, for screen readers
 * @returns {{el: HTMLElement, set: (back: (HTMLElement|null)[], forward: (HTMLElement|null)[]) => void}}
 */
export function createStepActions(label) {
  const start = h('div', { class: 'step-actions-start' });
  const end = h('div', { class: 'step-actions-end' });
  const el = h('div', { class: 'step-actions', role: 'group', 'aria-label': label }, start, end);
  return {
    el,
    set(back, forward) {
      put(start, ...back);
      put(end, ...forward);
    },
  };
}
