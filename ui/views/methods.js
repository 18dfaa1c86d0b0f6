// @ts-check
// The Methods panel of one installation, laid out like an API client: the
// connector's methods listed on the left, the chosen one's request on the right
// (its inputs and a button named for what it does), and under it the response:
// outcome, duration, the requests sent (verb and URL), the summary, and the rows
// as a table or as JSON, copyable.
// A method the installation's scopes don't allow is marked in the list and its
// button disabled, with what to do, said to whoever can do it.

import * as api from '../api.js';
import { copyText, escapePresses, formBar, h, put } from '../components/dom.js';
import { clearFieldErrors, showError, showFieldErrors } from '../components/errors.js';
import { fieldIds, fieldRow } from '../components/field-row.js';
import { leaveForm } from '../components/drafts.js';

/** @import {FieldError, InstallationView, ConnectorView, Method, MethodInput, MethodOutput, MethodState} from '../types.js' */

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
    'div',
    { class: 'table-scroll' },
    h(
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
    ),
  );
}

/**
 * The audit log's common ranges, as a start date to fill in (the end left empty: now).
 * @param {HTMLInputElement|HTMLTextAreaElement} start
 * @param {HTMLInputElement|HTMLTextAreaElement} end
 */
function auditPresets(start, end) {
  /** @param {number} days */
  const since = (days) => () => {
    start.value = new Date(Date.now() - days * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    end.value = '';
    start.dispatchEvent(new Event('input', { bubbles: true }));
  };
  return h(
    'p',
    { class: 'presets', role: 'group', 'aria-label': 'Date range' },
    h('button', { type: 'button', 'data-preset': '1', onclick: since(1) }, 'Last 24 hours'),
    h('button', { type: 'button', 'data-preset': '7', onclick: since(7) }, 'Last 7 days'),
    h('button', { type: 'button', 'data-preset': '30', onclick: since(30) }, 'Last 30 days'),
  );
}

/**
 * The response area: outcome and duration, the summary, Table/JSON and Copy.
 * @param {Method} method
 */
function responseArea(method) {
  const meta = h('p', { class: 'response-meta', id: `method-${method.id}-meta` });
  // What was sent, verb and URL, as an API client shows its request line (a method can send several).
  const sent = h('ul', { class: 'request-lines', id: `method-${method.id}-requests`, 'aria-label': 'Requests sent' });
  const status = h('p', { class: 'status', id: `method-${method.id}-status`, role: 'status', 'aria-live': 'polite' });
  const error = h('div', { class: 'error', id: `method-${method.id}-error`, role: 'alert', hidden: true });
  const body = h('div', { id: `method-${method.id}-output` });
  const el = h('section', { class: 'response', 'aria-label': `${method.name}: response` }, meta, sent, status, error, body);

  /**
   * @param {MethodOutput} output
   * @param {number} ms
   */
  function show(output, ms) {
    put(
      meta,
      h('span', { class: 'state state-connected' }, 'OK'),
      ` \u00b7 ${ms} ms \u00b7 ${output.rows.length} ${output.rows.length === 1 ? 'row' : 'rows'}`,
    );
    put(sent, ...output.requests.map((r) => h('li', {}, h('code', {}, r))));
    status.textContent = output.summary;
    const json = JSON.stringify(output.rows, null, 2);
    const table = resultsTable(method, output);
    const pre = h('pre', { class: 'json', id: `method-${method.id}-json`, tabindex: '0', hidden: true }, json);
    const copied = h('span', { role: 'status' });
    /** @param {'table'|'json'} view */
    const pick = (view) => () => {
      table.hidden = view !== 'table';
      pre.hidden = view !== 'json';
      asTable.setAttribute('aria-pressed', String(view === 'table'));
      asJson.setAttribute('aria-pressed', String(view === 'json'));
    };
    const asTable = h('button', { type: 'button', id: `view-${method.id}-table`, 'aria-pressed': 'true', onclick: pick('table') }, 'Table');
    const asJson = h('button', { type: 'button', id: `view-${method.id}-json`, 'aria-pressed': 'false', onclick: pick('json') }, 'JSON');
    const copy = async () => {
      copied.textContent = (await copyText(json)) ? ' Copied.' : ' Select the JSON and copy it.';
    };
    put(
      body,
      h(
        'div',
        { class: 'response-tools' },
        h('span', { class: 'segmented', role: 'group', 'aria-label': 'Show as' }, asTable, asJson),
        h('button', { type: 'button', id: `copy-${method.id}`, onclick: copy }, 'Copy JSON'),
        copied,
      ),
      table,
      pre,
    );
  }

  /**
   * @param {import('../types.js').CommandError} err
   * @param {number} ms
   */
  function fail(err, ms) {
    put(meta, h('span', { class: 'state state-error' }, `Failed: ${err.code}`), ` \u00b7 ${ms} ms`);
    status.textContent = '';
    showError(error, err);
  }

  /** @param {string} text */
  function start(text) {
    error.hidden = true;
    meta.replaceChildren();
    sent.replaceChildren();
    body.replaceChildren();
    status.textContent = text;
  }
  return { el, status, show, fail, start };
}

/**
 * @param {InstallationView} installation
 * @param {Method} method
 * @param {MethodState|undefined} methodState undefined when the core sent no state for it
 */
function methodSection(installation, method, methodState) {
  const blocked = methodState?.unavailable_because ?? null;
  const inputs = method.inputs.map((input) => ({ input, el: control(method, input) }));
  const response = responseArea(method);
  // Named for what it does ("Create a work item"), not "Run".
  const runButton = h('button', { type: 'submit', class: 'primary', id: `run-${method.id}`, disabled: blocked !== null }, method.name);
  const cancelButton = h('button', { type: 'button', id: `cancel-${method.id}`, hidden: true }, 'Cancel');
  const byId = Object.fromEntries(inputs.map(({ input, el }) => [input.id, el]));

  /** @param {Event} event */
  async function run(event) {
    event.preventDefault();
    const form = /** @type {HTMLFormElement} */ (event.currentTarget);
    if (blocked) return;
    clearFieldErrors(section);
    const values = Object.fromEntries(inputs.map(({ input, el }) => [input.id, el.value]));
    const mine = `run-${++runs}`;
    runButton.disabled = true;
    cancelButton.hidden = false;
    cancelButton.onclick = () => api.methodCancel(mine);
    response.start(`Running ${method.name}\u2026`);
    const stop = await api.onMethodProgress((p) => {
      if (p.run === mine) response.status.textContent = p.message;
    });
    const began = performance.now();
    try {
      const output = await api.methodRun(mine, { installation: installation.id, method: method.id, inputs: values });
      response.show(output, Math.round(performance.now() - began));
      // The input did what it was typed for: leaving now loses nothing, so Back asks nothing.
      delete form.dataset.dirty;
    } catch (err) {
      response.fail(err, Math.round(performance.now() - began));
      // Field errors use the form's own ids (field-<method>-<input>).
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
    { class: 'method', role: 'tabpanel', id: `method-${method.id}`, 'data-method': method.id, 'aria-labelledby': `pick-${method.id}` },
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
      method.id === 'query_audit_log' && byId.start && byId.end ? auditPresets(byId.start, byId.end) : null,
      inputs.map(({ input, el }) =>
        fieldRow({ id: `${method.id}-${input.id}`, label: input.label, required: input.required, help: input.help, control: el }),
      ),
      h('div', { class: 'actions' }, runButton, cancelButton),
    ),
    response.el,
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
  const sections = c.manifest.methods.map((m) => methodSection(i, m, states.get(m.id)));
  // The list is a vertical tab list (WAI-ARIA tabs): one method chosen, its request beside it;
  // the arrow keys, Home and End choose another, and Tab goes on into the chosen one.
  const picks = c.manifest.methods.map((m) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        class: 'method-pick',
        id: `pick-${m.id}`,
        'aria-controls': `method-${m.id}`,
        onclick: () => choose(m.id),
      },
      m.name,
      states.get(m.id)?.unavailable_because ? h('span', { class: 'muted' }, ' (not allowed)') : null,
    ),
  );
  /** @param {string} id a method's */
  function choose(id) {
    sections.forEach((s) => (s.hidden = s.dataset.method !== id));
    for (const b of picks) {
      b.setAttribute('aria-selected', String(b.id === `pick-${id}`));
      b.tabIndex = b.id === `pick-${id}` ? 0 : -1;
    }
  }
  /** @param {KeyboardEvent} e */
  function arrows(e) {
    const at = picks.indexOf(/** @type {HTMLButtonElement} */ (e.target));
    const n = picks.length;
    const to = { ArrowDown: (at + 1) % n, ArrowUp: (at - 1 + n) % n, Home: 0, End: n - 1 }[e.key];
    if (at < 0 || to === undefined) return;
    e.preventDefault();
    picks[to].focus();
    choose(c.manifest.methods[to].id);
  }
  put(
    el,
    formBar(
      `Methods: ${i.organization} / ${i.project}`,
      // Asks before throwing away typed input (Escape presses it too).
      h('button', { type: 'button', id: 'methods-back', onclick: () => leaveForm(el, () => back('')) }, 'Back to installations'),
    ),
    h(
      'p',
      { class: 'muted' },
      `Runs the connector's calls with this installation's token, as ${i.user.display_name}. An expiring token is refreshed first.`,
    ),
    h(
      'div',
      { class: 'methods-client' },
      h(
        'div',
        { class: 'method-list', role: 'tablist', 'aria-label': 'Methods', 'aria-orientation': 'vertical', onkeydown: arrows },
        picks,
      ),
      h('div', { class: 'method-pane' }, sections),
    ),
  );
  choose(c.manifest.methods[0].id);
  // Escape is Back here too, as in the Install and Library forms.
  escapePresses(el, () => el.querySelector('#methods-back'));
  /** @type {HTMLButtonElement} */ (el.querySelector('#methods-back')).focus();
}
