// @ts-check
// The Methods panel of one installation: every connector method from the
// manifest, with the scope it needs, a form from its inputs, Run and Cancel,
// progress, and a results table from its columns (copyable as JSON). Methods
// the installation's scopes don't allow are disabled with the reason.

import * as api from '../api.js';
import { copyText, escapePresses, h, put } from '../components/dom.js';
import { clearFieldErrors, showError, showFieldErrors } from '../components/errors.js';
import { fieldIds, fieldRow } from '../components/field-row.js';

/** @import {ConnectorView, FieldError, InstallationView, Method, MethodInput, MethodOutput, MethodState} from '../types.js' */

let runs = 0;

/**
 * @param {Method} method
 * @param {MethodInput} input
 */
function control(method, input) {
  const { inputId, describedBy } = fieldIds(`${method.id}-${input.id}`);
  const attrs = { id: inputId, 'aria-describedby': describedBy, 'aria-required': String(input.required), spellcheck: 'false' };
  const el = input.kind === 'textarea' ? h('textarea', { ...attrs, rows: 3 }) : h('input', { ...attrs, type: 'text', autocomplete: 'off' });
  el.value = input.default;
  el.dataset.input = input.id;
  return el;
}

/**
 * @param {Method} method
 * @param {MethodOutput} output
 */
function resultsTable(method, output) {
  return h(
    'table',
    { class: 'results', id: `method-${method.id}-results` },
    h('caption', { class: 'offscreen' }, `${method.name}: results`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        method.columns.map((c) => h('th', { scope: 'col' }, c.label)),
      ),
    ),
    h(
      'tbody',
      {},
      output.rows.map((row) =>
        h(
          'tr',
          {},
          method.columns.map((c) => h('td', {}, row[c.id] ?? '')),
        ),
      ),
    ),
  );
}

/**
 * @param {InstallationView} installation
 * @param {Method} method
 * @param {MethodState|undefined} methodState undefined when the core sent no state for it
 */
function methodSection(installation, method, methodState) {
  const blocked = methodState?.unavailable_because ?? null;
  const inputs = method.inputs.map((input) => ({ input, el: control(method, input) }));
  const status = h('p', { class: 'status', id: `method-${method.id}-status`, role: 'status', 'aria-live': 'polite' });
  const error = h('div', { class: 'error', id: `method-${method.id}-error`, role: 'alert', hidden: true });
  const results = h('div', { id: `method-${method.id}-output` });
  const runButton = h('button', { type: 'submit', class: 'primary', id: `run-${method.id}`, disabled: blocked !== null }, 'Run');
  const cancelButton = h('button', { type: 'button', id: `cancel-${method.id}`, hidden: true }, 'Cancel');
  let current = null;

  /** @param {Event} event */
  async function run(event) {
    event.preventDefault();
    if (blocked) return;
    error.hidden = true;
    clearFieldErrors(section);
    results.replaceChildren();
    const values = Object.fromEntries(inputs.map(({ input, el }) => [input.id, el.value]));
    current = `run-${++runs}`;
    const mine = current;
    runButton.disabled = true;
    cancelButton.hidden = false;
    cancelButton.onclick = () => api.methodCancel(mine);
    status.textContent = `Running ${method.name}\u2026`;
    const stop = await api.onMethodProgress((p) => {
      if (p.run === mine) status.textContent = p.message;
    });
    try {
      const output = await api.methodRun(mine, { installation: installation.id, method: method.id, inputs: values });
      status.textContent = output.summary;
      const copied = h('span', { role: 'status' });
      const copy = async () => {
        copied.textContent = (await copyText(JSON.stringify(output.rows, null, 2))) ? ' Copied.' : ' Select the table and copy it.';
      };
      put(
        results,
        resultsTable(method, output),
        h('p', {}, h('button', { type: 'button', id: `copy-${method.id}`, onclick: copy }, 'Copy as JSON'), copied),
      );
    } catch (err) {
      status.textContent = '';
      // Field errors use the form's own ids (field-<method>-<input>).
      showError(error, err);
      showFieldErrors(section, {
        ...err,
        fields: (err.fields ?? []).map((/** @type {FieldError} */ f) => ({ ...f, field: `${method.id}-${f.field}` })),
      });
    } finally {
      stop();
      runButton.disabled = false;
      cancelButton.hidden = true;
    }
  }

  const section = h(
    'section',
    { class: 'method', 'data-method': method.id, 'aria-labelledby': `method-${method.id}-title` },
    h('h3', { id: `method-${method.id}-title` }, method.name),
    h(
      'p',
      { class: 'muted' },
      method.description,
      ' Needs ',
      h('span', { class: 'needs' }, methodState?.needs ?? method.any_of.join(' or ')),
      '.',
    ),
    blocked ? h('p', { class: 'warning', id: `method-${method.id}-reason` }, blocked) : null,
    h(
      'form',
      { novalidate: true, onsubmit: run },
      inputs.map(({ input, el }) =>
        fieldRow({ id: `${method.id}-${input.id}`, label: input.label, required: input.required, help: input.help, control: el }),
      ),
      h('div', { class: 'actions' }, runButton, cancelButton),
    ),
    status,
    error,
    results,
  );
  return section;
}

/**
 * Shows the Methods panel for installation `i` of connector `c` in `el`.
 * @param {HTMLElement} el
 * @param {InstallationView} i
 * @param {ConnectorView} c
 * @param {(message: string) => void} back
 */
export function renderMethods(el, i, c, back) {
  const states = new Map((i.methods ?? []).map((m) => [m.id, m]));
  put(
    el,
    h('h2', {}, `Methods: ${i.organization} / ${i.project}`),
    h(
      'p',
      { class: 'muted' },
      `Runs the connector's calls with this installation's token, as ${i.user.display_name}. An expiring token is refreshed first.`,
    ),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'methods-back', onclick: () => back('') }, 'Back to installations')),
    c.manifest.methods.map((m) => methodSection(i, m, states.get(m.id))),
  );
  // Escape is Back here too, as in the Install and Library forms.
  escapePresses(el, () => el.querySelector('#methods-back'));
  /** @type {HTMLButtonElement} */ (el.querySelector('#methods-back')).focus();
}
