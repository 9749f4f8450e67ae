// kqlite web UI: a KQL editor (Monaco with @kusto/monaco-kusto, or a text box without the npm assets), the results
// grid, the chart of `render` (the server's Vega-Lite spec, drawn by vega-embed), the loaded tables' schema and the
// hunt view. It talks to kqlite's JSON API (/api/query, /api/schema, /api/catalog, /api/hunt, /api/cancel;
// docs/web_ui.md). The editor knows the whole catalog (built-in tables, loaded tables, stored functions).
'use strict';

const state = { editor: null, schema: null, catalog: null, queryId: 0, running: false, hunting: false };
const $ = (id) => document.getElementById(id);
const defaultQuery = '// Shift+Enter runs the query; a `render` draws a chart.\n';

async function api(path, body) {
  const init = body === undefined ? {} :
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  const response = await fetch(path, init);
  return response.json();
}

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (key === 'class') node.className = value; else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// ---- Views ----
function showView(view) {
  for (const tab of document.querySelectorAll('.tab')) tab.classList.toggle('active', tab.dataset.view === view);
  for (const section of document.querySelectorAll('.view')) section.hidden = section.id !== 'view-' + view;
  if (view === 'query' && state.editor && state.editor.layout) state.editor.layout();
}

// ---- Editor ----
function queryText() {
  return state.editor ? state.editor.getValue() : '';
}

function plainEditor(reason) {
  const area = element('textarea', { id: 'query-text', spellcheck: 'false' });
  area.value = defaultQuery;
  area.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.shiftKey || event.ctrlKey)) { event.preventDefault(); runQuery(); }
  });
  $('editor').replaceChildren(area);
  state.editor = { getValue: () => area.value, setValue: (text) => { area.value = text; } };
  $('server-note').textContent = reason;
}

// KQL column types as the Kusto language service names them (CLR type names).
const clrTypes = {
  bool: 'System.Boolean', int: 'System.Int32', long: 'System.Int64', real: 'System.Double',
  decimal: 'System.Data.SqlTypes.SqlDecimal', string: 'System.String', datetime: 'System.DateTime',
  timespan: 'System.TimeSpan', guid: 'System.Guid', dynamic: 'System.Object',
};

// Splits `text` at the commas outside parentheses, brackets and quotes.
function splitTopLevel(text) {
  const parts = [];
  let depth = 0;
  let quote = null;
  let current = '';
  for (const character of text) {
    if (quote) {
      if (character === quote) quote = null;
    } else if (character === '"' || character === "'") {
      quote = character;
    } else if ('([{'.includes(character)) {
      ++depth;
    } else if (')]}'.includes(character)) {
      --depth;
    } else if (character === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += character;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

// A stored function's "(a:string, b:long=5, T:(*))" as the language service's input parameters.
function kustoParameters(text) {
  const inner = text.trim().replace(/^\(/, '').replace(/\)$/, '');
  return splitTopLevel(inner).map((parameter) => {
    const colon = parameter.indexOf(':');
    const name = (colon < 0 ? parameter : parameter.slice(0, colon)).trim();
    let type = colon < 0 ? 'dynamic' : parameter.slice(colon + 1).trim();
    let cslDefaultValue;
    const equals = type.startsWith('(') ? -1 : type.indexOf('=');
    if (equals >= 0) {
      cslDefaultValue = type.slice(equals + 1).trim();
      type = type.slice(0, equals).trim();
    }
    if (type.startsWith('(')) {  // A tabular parameter: (*) or (column:type, ...).
      const columns = splitTopLevel(type.slice(1, -1)).filter((column) => column !== '*').map((column) => {
        const [columnName, columnType] = column.split(':').map((part) => part.trim());
        return { name: columnName, type: clrTypes[columnType] || 'System.Object', cslType: columnType || 'dynamic' };
      });
      return { name, columns };
    }
    return { name, type: clrTypes[type] || 'System.Object', cslType: type, cslDefaultValue };
  });
}

// The catalog (/api/catalog: built-in and loaded tables, stored functions) as the Kusto language service's schema.
function kustoSchema(catalog) {
  const database = {
    name: catalog.database, tables: catalog.tables.map((table) => ({
      name: table.name, entityType: 'Table',
      docstring: table.loaded ? 'loaded' : 'built-in schema (no data loaded)',
      columns: table.columns.map((column) => ({ name: column.name, type: clrTypes[column.type] || 'System.Object' })),
    })),
    functions: (catalog.functions || []).map((f) => ({
      name: f.name, body: '{' + f.body + '}', inputParameters: kustoParameters(f.parameters || '()'),
    })),
    entityGroups: [], majorVersion: 1, minorVersion: 0,
  };
  return { clusterType: 'Engine', cluster: { connectionString: 'kqlite', databases: [database] }, database };
}

function monacoEditor() {
  return new Promise((resolve, reject) => {
    const loader = element('script', { src: '/assets/vs/loader.js' });
    loader.onerror = () => reject(new Error('the editor scripts are not installed (scripts/web_deps.sh)'));
    loader.onload = () => {
      window.require.config({ paths: { vs: '/assets/vs' } });
      window.require(['vs/editor/editor.main'], () => {
        window.require(['vs/language/kusto/monaco.contribution'], () => {
          const editor = monaco.editor.create($('editor'), {
            value: defaultQuery, language: 'kusto', minimap: { enabled: false }, automaticLayout: true,
            fontSize: 13, scrollBeyondLastLine: false, theme: 'kusto-light',
          });
          editor.addCommand(monaco.KeyMod.Shift | monaco.KeyCode.Enter, runQuery);
          editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, runQuery);
          resolve(editor);
        }, reject);
      }, reject);
    };
    document.body.append(loader);
  });
}

async function giveSchemaToEditor() {
  if (!state.catalog || !window.monaco || !monaco.languages.kusto) return;
  const workerAccessor = await monaco.languages.kusto.getKustoWorker();
  const worker = await workerAccessor(state.editor.getModel().uri);
  await worker.setSchema(kustoSchema(state.catalog));
}

// The engine's diagnostics as editor markers (the language service adds its own).
function markDiagnostics(diagnostics) {
  const list = $('diagnostics');
  list.replaceChildren(...diagnostics.map((d) =>
    element('li', { class: d.severity }, `${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`)));
  if (!window.monaco || !state.editor.getModel) return;
  const model = state.editor.getModel();
  monaco.editor.setModelMarkers(model, 'kqlite', diagnostics.map((d) => {
    const start = model.getPositionAt(d.offset);
    const end = model.getPositionAt(d.offset + Math.max(d.length, 1));
    return {
      severity: d.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
      message: `${d.code}: ${d.message}`, startLineNumber: start.lineNumber, startColumn: start.column,
      endLineNumber: end.lineNumber, endColumn: end.column,
    };
  }));
}

// ---- Query, grid, chart ----
function cellText(value) {
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function renderGrid(container, columns, rows) {
  const numeric = new Set(['int', 'long', 'real', 'decimal']);
  const head = element('tr', {}, ...columns.map((c) => element('th', {}, c.name, ' ', element('span', { class: 'type' }, c.type))));
  const body = rows.map((row) => element('tr', {}, ...row.map((value, index) => {
    const classes = [numeric.has(columns[index].type) ? 'num' : '', value === null ? 'null' : ''].join(' ').trim();
    return element('td', classes ? { class: classes } : {}, cellText(value));
  })));
  container.replaceChildren(element('table', { class: 'results' }, element('thead', {}, head), element('tbody', {}, ...body)));
}

// A fork/facet result: one grid per table, each under its name (the first table's name is result.table_name).
function renderTables(container, result) {
  const tables = [{ name: result.table_name, columns: result.columns, rows: result.rows }, ...result.more_tables];
  container.replaceChildren(...tables.map((table) => {
    const grid = element('div', { class: 'table-grid' });
    renderGrid(grid, table.columns, table.rows);
    return element('section', { class: 'result-table' }, element('h3', { class: 'table-name' }, table.name), grid);
  }));
}

// "N rows" or "M of N rows" for a table whose rows the server cut at --max-rows.
function rowsText(table) {
  const shown = table.truncated ? `${table.rows.length.toLocaleString()} of ` : '';
  return `${shown}${table.row_count.toLocaleString()} rows`;
}

function setStatus(text, isError) {
  $('status').textContent = text;
  $('status').classList.toggle('error', !!isError);
}

async function drawChart(result) {
  const chart = $('chart');
  chart.hidden = true;
  chart.replaceChildren();
  if (!result.render) return;
  chart.hidden = false;
  if (!result.chart) {
    chart.append(element('p', { class: 'status error' }, 'No chart: ' + (result.chart_error || 'unknown reason')));
    return;
  }
  if (!window.vegaEmbed) {
    chart.append(element('p', { class: 'status error' }, 'No chart: the Vega scripts are not installed (scripts/web_deps.sh)'));
    return;
  }
  for (const warning of result.chart_warnings || []) chart.append(element('p', { class: 'status' }, warning));
  const target = element('div', { id: 'chart-view', style: 'width: 100%' });
  chart.append(target);
  await vegaEmbed(target, result.chart, { actions: false, renderer: 'svg' });
}

async function runQuery() {
  if (state.running) return;
  const text = queryText();
  const id = 'q' + (++state.queryId);
  state.running = id;
  $('run').disabled = true;
  $('cancel').disabled = false;
  setStatus('Running…');
  try {
    const result = await api('/api/query', { query: text, id });
    markDiagnostics(result.diagnostics || []);
    if (!result.ok) {
      setStatus(result.cancelled ? 'Cancelled' : 'Error: ' + result.error, true);
      $('grid').replaceChildren();
      $('chart').hidden = true;
      return;
    }
    const elapsed = `in ${Math.round(result.elapsed_ms)} ms`;
    if (result.more_tables && result.more_tables.length) {
      const tables = [result, ...result.more_tables];
      setStatus(`${tables.length} tables (${tables.map(rowsText).join(', ')}) ${elapsed}`);
      renderTables($('grid'), result);
    } else {
      setStatus(`${rowsText(result)} ${elapsed}`);
      renderGrid($('grid'), result.columns, result.rows);
    }
    await drawChart(result);
  } catch (error) {
    setStatus('Error: ' + error.message, true);
  } finally {
    state.running = false;
    $('run').disabled = false;
    $('cancel').disabled = true;
  }
}

async function cancelQuery() {
  if (state.running) await api('/api/cancel', { id: state.running });
}

// ---- Schema ----
function renderSchema(schema) {
  const cards = schema.tables.map((table) => element('div', { class: 'table-card' },
    element('h3', {}, table.name),
    element('div', { class: 'files' }, table.files.join(', ')),
    element('div', { class: 'columns' }, ...table.columns.map((c) => element('div', {}, `${c.name}: ${c.type}`)))));
  $('schema').replaceChildren(...(cards.length ? cards : [element('p', {}, 'No table is loaded.')]));
}

// ---- Hunt ----
function entityText(entity) {
  const fields = Object.entries(entity).filter(([key]) => key !== 'type').map(([, value]) => value);
  return `${entity.type}: ${fields.join(' ')}`;
}

function renderAlert(alert) {
  const rows = alert.rows || [];
  const columns = rows.length ? Object.keys(rows[0]).map((name) => ({ name, type: '' })) : [];
  const events = element('div', { class: 'grid' });
  renderGrid(events, columns, rows.map((row) => columns.map((c) => row[c.name] === undefined ? null : row[c.name])));
  const details = element('details', {}, element('summary', {}, `${rows.length} result row(s) behind the alert`), events);
  return element('div', { class: 'alert ' + alert.severity },
    element('h3', {}, alert.title),
    element('div', { class: 'meta' }, `${alert.severity} · ${(alert.tactics || []).join(', ')} · ` +
      `${alert.startTime || ''} – ${alert.endTime || ''} · ${alert.eventCount} event(s) · rule ${alert.ruleName}`),
    element('div', { class: 'entities' }, ...(alert.entities || []).map((e) => element('span', { class: 'entity' }, entityText(e)))),
    details);
}

async function runHunt() {
  if (state.hunting) return;
  const id = 'h' + (++state.queryId);
  state.hunting = id;
  $('hunt-run').disabled = true;
  $('hunt-cancel').disabled = false;
  $('hunt-status').classList.remove('error');
  $('hunt-status').textContent = 'Hunting…';
  try {
    const report = await api('/api/hunt', { id });
    if (!report.ok) {
      $('hunt-status').textContent = report.cancelled ? 'Cancelled' : 'Error: ' + report.error;
      $('hunt-status').classList.add('error');
      return;
    }
    $('hunt-status').textContent = `${report.alerts.length} alert(s) from ${report.rules_run} of ${report.rules} rules ` +
      `(now = ${report.now}) in ${Math.round(report.elapsed_ms)} ms`;
    $('hunt-notes').replaceChildren(...report.notes.map((note) => element('li', {}, note)));
    $('alerts').replaceChildren(...report.alerts.map(renderAlert));
  } catch (error) {
    $('hunt-status').textContent = 'Error: ' + error.message;
  } finally {
    state.hunting = false;
    $('hunt-run').disabled = false;
    $('hunt-cancel').disabled = true;
  }
}

async function cancelHunt() {
  if (state.hunting) await api('/api/cancel', { id: state.hunting });
}

// ---- Start ----
async function start() {
  for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => showView(tab.dataset.view));
  $('run').addEventListener('click', runQuery);
  $('cancel').addEventListener('click', cancelQuery);
  $('hunt-run').addEventListener('click', runHunt);
  $('hunt-cancel').addEventListener('click', cancelHunt);
  state.schema = await api('/api/schema');
  renderSchema(state.schema);
  state.catalog = await api('/api/catalog');
  try {
    state.editor = await monacoEditor();
    await giveSchemaToEditor();
    document.body.dataset.editor = 'monaco';
  } catch (error) {
    plainEditor('Plain editor: ' + error.message);
    document.body.dataset.editor = 'plain';
  }
  document.body.dataset.ready = 'true';
}

start();
