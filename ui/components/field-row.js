// @ts-check
// One form field row: label, control, help and a per-field error line, wired
// together with ids so screen readers announce the help and the error.

import { h } from './dom.js';

/**
 * The ids a control in a field row must use: `id` and `aria-describedby`.
 * @param {string} id
 */
export function fieldIds(id) {
  const inputId = `field-${id}`;
  return { inputId, labelId: `${inputId}-label`, describedBy: `${inputId}-help ${inputId}-error` };
}

/**
 * @param {{id: string, label: string, required?: boolean, help?: string, control: Node}} field
 */
export function fieldRow({ id, label, required = true, help = '', control }) {
  const { inputId, labelId } = fieldIds(id);
  return h(
    'div',
    { class: 'field', 'data-field-row': id },
    h('label', { for: inputId, id: labelId }, label, required ? '' : ' (optional)'),
    control,
    h('p', { class: 'help muted', id: `${inputId}-help` }, help),
    h('p', { class: 'field-error', id: `${inputId}-error`, role: 'alert' }),
  );
}
