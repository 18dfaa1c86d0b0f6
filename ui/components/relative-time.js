// @ts-check
// Times in the Installations list read relative to now ("in 58 min", "expired
// 3 h ago"): what matters about a token is how long it has left. The absolute
// local time stays one hover away (title) and machine-readable (<time datetime>).

import { h } from './dom.js';

/** @typedef {'expires'|'past'} TimeKind 'expires': a deadline; 'past': something that happened. */

/**
 * A duration in whole units, as a person would say it: "less than a minute", "58 min", "3 h", "2 d".
 * @param {number} seconds
 */
function span(seconds) {
  const s = Math.abs(seconds);
  if (s < 60) return 'less than a minute';
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

/**
 * @param {number} secs Unix seconds
 * @param {TimeKind} kind
 * @param {number} now Unix seconds
 */
export function relativeText(secs, kind, now) {
  const delta = secs - now;
  if (kind === 'expires') return delta >= 0 ? `in ${span(delta)}` : `expired ${span(delta)} ago`;
  return delta > -60 ? 'just now' : `${span(delta)} ago`;
}

/** Rewrites a <time> element's text for the current moment. */
function refresh(/** @type {HTMLElement} */ el) {
  const secs = Number(el.dataset.secs);
  el.textContent = relativeText(secs, /** @type {TimeKind} */ (el.dataset.kind), Date.now() / 1000);
}

/** @type {ReturnType<typeof setInterval>|null} */
let ticking = null;

/**
 * A <time> element that says `secs` relative to now, or "—" when there is no time.
 * Every such element on the page is rewritten twice a minute, so "in 3 min"
 * doesn't stay on screen after the token has expired.
 * @param {number|null|undefined} secs Unix seconds
 * @param {TimeKind} kind
 * @returns {HTMLElement|string}
 */
export function relativeTime(secs, kind) {
  if (!secs) return '\u2014';
  const date = new Date(secs * 1000);
  const el = h('time', {
    datetime: date.toISOString(),
    title: date.toLocaleString(),
    'data-secs': String(secs),
    'data-kind': kind,
    'data-relative': '',
  });
  refresh(el);
  ticking ??= setInterval(
    () => document.querySelectorAll('time[data-relative]').forEach((t) => refresh(/** @type {HTMLElement} */ (t))),
    30_000,
  );
  return el;
}
