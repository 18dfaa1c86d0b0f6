// @ts-check
// The Install step indicator: Details → Check → Sign in → Connected. It only
// shows where the user is; the Install form moves it as its stages change
// (Next answered, the sign-in window opened, the sign-in ended).

import { h } from './dom.js';

/** @typedef {'details'|'check'|'sign-in'|'connected'} Step */

/** @type {[Step, string][]} */
const STEPS = [
  ['details', 'Details'],
  ['check', 'Check'],
  ['sign-in', 'Sign in'],
  ['connected', 'Connected'],
];

/**
 * An <ol> of the steps: the current one has aria-current="step", those before it
 * are marked done (a tick on screen, "done" in words for screen readers).
 * @param {Step} current
 * @returns {{el: HTMLElement, set: (step: Step) => void}}
 */
export function createStepper(current) {
  const items = STEPS.map(([step, label], i) => {
    const mark = h('span', { class: 'step-mark', 'aria-hidden': 'true' });
    const state = h('span', { class: 'visually-hidden' });
    return { step, mark, state, number: String(i + 1), li: h('li', { 'data-step': step }, mark, label, state) };
  });
  const el = h(
    'ol',
    { class: 'stepper', 'aria-label': 'Install steps' },
    items.map((it) => it.li),
  );

  /** @param {Step} step */
  function set(step) {
    const at = STEPS.findIndex(([s]) => s === step);
    items.forEach((it, i) => {
      const done = i < at || step === 'connected';
      it.li.dataset.state = i === at ? 'current' : done ? 'done' : 'todo';
      if (i === at) it.li.setAttribute('aria-current', 'step');
      else it.li.removeAttribute('aria-current');
      it.mark.textContent = done ? '\u2713' : it.number;
      it.state.textContent = done && i !== at ? ' (done)' : '';
    });
  }
  set(current);
  return { el, set };
}
