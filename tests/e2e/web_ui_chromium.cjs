// The web UI in headless Chromium (puppeteer-core from build/web/node_modules, Debian's /usr/bin/chromium): types a
// query into the editor, completes a built-in table with no data and a stored function (the editor has the whole
// catalog) and sees the language service's diagnostics, runs a query and sees its rows in the grid, runs a timechart
// and sees the chart's SVG, opens the schema and hunt views and sees alerts with entities, cancels a hunt with the
// hunt view's Cancel button, and opens a `kqlite query --chart` page offline (file://) to see its SVG. Saves screenshots of the editor, the grid, the
// timechart and the hunt view into SHOTS (docs/screenshots when run by CTest with KQL_UPDATE_SCREENSHOTS=1).
// Usage: node web_ui_chromium.cjs BUILD_DIR BASE_URL CHART_HTML SHOTS_DIR
const path = require('path');
const fs = require('fs');
const {createRequire} = require('module');

const [buildDir, baseUrl, chartHtml, shotsDir] = process.argv.slice(2);
const puppeteer = createRequire(path.resolve(buildDir, 'web', 'package.json'))('puppeteer-core');

function check(condition, message) {
  if (!condition) throw new Error(message);
  console.log('ok: ' + message);
}

async function typeQuery(page, text) {
  // Monaco: focus, select all, type (the editor's own auto-closing is off for brackets we type).
  await page.click('#editor');
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyA');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  // Line by line, closing the completion list before each Enter (Enter would accept a suggestion).
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; ++index) {
    await page.keyboard.type(lines[index]);
    await page.keyboard.press('Escape');
    if (index + 1 < lines.length) await page.keyboard.press('Enter');
  }
}

// Sets the editor's text at once (typing a long query races the completion list, which Enter would accept).
async function setQuery(page, text) {
  await page.evaluate((value) => monaco.editor.getModels()[0].setValue(value), text);
}

async function waitOrExplain(page, promise, what) {
  try {
    return await promise;
  } catch (error) {
    const status = await page.$eval('#status', (node) => node.textContent);
    const chart = await page.$eval('#chart', (node) => node.textContent);
    const text = await page.evaluate(() => monaco.editor.getModels()[0].getValue());
    throw new Error(`${what}: ${error.message}; status "${status}", chart "${chart}", query:\n${text}`);
  }
}

async function main() {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const errors = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    await page.setViewport({width: 1280, height: 800});
    await page.goto(baseUrl, {waitUntil: 'load'});
    await page.waitForSelector('body[data-ready="true"]', {timeout: 60000});
    const editorKind = await page.$eval('body', (body) => body.dataset.editor);
    check(editorKind === 'monaco', 'the Monaco editor with the Kusto language loaded (got ' + editorKind + ')');

    // Completion from the loaded schema: typing a table prefix offers DeviceNetworkEvents.
    await typeQuery(page, 'DeviceNet');
    await page.keyboard.down('Control');
    await page.keyboard.press('Space');
    await page.keyboard.up('Control');
    await page.waitForFunction(() => [...document.querySelectorAll('.suggest-widget .monaco-list-row')]
      .some((row) => row.textContent.includes('DeviceNetworkEvents')), {timeout: 30000});
    check(true, 'completion offers the loaded table DeviceNetworkEvents');
    await page.keyboard.press('Escape');

    // The editor knows the whole catalog: a built-in table with no data loaded, and a stored function (--functions).
    for (const [prefix, name, what] of [['SigninLo', 'SigninLogs', 'a built-in table with no data loaded'],
      ['DeniedFl', 'DeniedFlows', 'a stored function']]) {
      await typeQuery(page, prefix);
      await page.keyboard.down('Control');
      await page.keyboard.press('Space');
      await page.keyboard.up('Control');
      await page.waitForFunction((wanted) => [...document.querySelectorAll('.suggest-widget .monaco-list-row')]
        .some((row) => row.textContent.includes(wanted)), {timeout: 30000}, name);
      check(true, `completion offers ${name}, ${what}`);
      await page.keyboard.press('Escape');
    }
    // Its diagnostics: a query over the built-in SigninLogs and its columns has no error; an unknown table has one.
    const languageErrors = () => monaco.editor.getModelMarkers({})
      .filter((marker) => marker.owner !== 'kqlite' && marker.severity === monaco.MarkerSeverity.Error)
      .map((marker) => marker.message);
    await setQuery(page, 'NoSuchTable | take 1');
    await page.waitForFunction(`(${languageErrors})().length > 0`, {timeout: 30000});
    await setQuery(page, 'SigninLogs\n| where ResultType != "0" and UserPrincipalName endswith "@contoso.example"\n' +
      '| summarize Failures = count() by IPAddress\n| join kind=leftouter (DeniedFlows(443)) on $left.IPAddress == $right.SrcIp');
    await new Promise((resolve) => setTimeout(resolve, 2000));  // the language service checks the new text
    const errorsLeft = await page.evaluate(`(${languageErrors})()`);
    check(errorsLeft.length === 0, 'the language service knows SigninLogs, its columns and DeniedFlows' +
      (errorsLeft.length ? ': ' + errorsLeft.join('; ') : ''));

    // A query: its rows in the grid.
    // Set at once: typing several lines races the completion list, which Enter accepts when it opens late (a
    // slow machine or the sanitizer build gave "| | where"); typing is checked by the completion step above.
    await setQuery(page, 'DeviceNetworkEvents\n| where RemoteUrl has "tacticalrmm"\n' +
      '| project Timestamp, DeviceName, RemoteUrl, InitiatingProcessFileName\n| order by Timestamp asc\n| take 8');
    await new Promise((resolve) => setTimeout(resolve, 1500));  // the language service colours the text
    await page.screenshot({path: path.join(shotsDir, 'editor.png')});
    await page.click('#run');
    await waitOrExplain(page, page.waitForFunction(() => document.querySelectorAll('#grid tbody tr').length > 0,
      {timeout: 60000}), 'no rows');
    const rows = await page.$$eval('#grid tbody tr', (trs) => trs.length);
    const status = await page.$eval('#status', (node) => node.textContent);
    check(rows === 8 && status.startsWith('8 rows'), `the grid shows 8 rows (${rows}; status "${status}")`);
    const headers = await page.$$eval('#grid th', (ths) => ths.map((th) => th.firstChild.textContent));
    check(headers.join(',') === 'Timestamp,DeviceName,RemoteUrl,InitiatingProcessFileName', 'the grid has the columns');
    await page.screenshot({path: path.join(shotsDir, 'grid.png')});

    // facet returns several tables: one grid per table, each under its name.
    await setQuery(page, 'DeviceNetworkEvents\n| where RemoteUrl has "tacticalrmm"\n' +
      '| facet by ActionType, DeviceName with (project Timestamp, RemoteUrl | take 3)');
    await page.click('#run');
    await waitOrExplain(page, page.waitForFunction(() => document.querySelectorAll('#grid .result-table').length > 0,
      {timeout: 60000}), 'no result tables');
    const facet = await page.$$eval('#grid .result-table', (sections) => sections.map((section) => ({
      name: section.querySelector('h3.table-name').textContent,
      columns: [...section.querySelectorAll('th')].map((th) => th.firstChild.textContent),
      rows: section.querySelectorAll('tbody tr').length,
    })));
    check(facet.map((table) => table.name).join(',') === 'Table_0,ActionType,DeviceName',
      'facet: one grid per table, named: ' + JSON.stringify(facet));
    check(facet[0].columns.join(',') === 'Timestamp,RemoteUrl' && facet[0].rows === 3 &&
      facet[1].columns.join(',') === 'ActionType,count_ActionType' && facet[1].rows > 0 &&
      facet[2].columns.join(',') === 'DeviceName,count_DeviceName' && facet[2].rows > 0,
      'facet: each grid has its own columns and rows: ' + JSON.stringify(facet));
    const facetStatus = await page.$eval('#status', (node) => node.textContent);
    check(facetStatus.startsWith('3 tables'), 'facet: the status counts the tables: ' + facetStatus);
    await page.screenshot({path: path.join(shotsDir, 'facet.png')});

    // A diagnostic: an unknown column is an error from the engine, listed and marked in the editor.
    await setQuery(page, 'DeviceNetworkEvents | where NoSuchColumn == 1');
    await page.click('#editor');
    await page.keyboard.press('Escape');
    await page.keyboard.down('Shift');
    await page.keyboard.press('Enter');
    await page.keyboard.up('Shift');
    await page.waitForFunction(() => document.querySelector('#diagnostics li.error'), {timeout: 60000});
    const diagnostic = await page.$eval('#diagnostics li.error', (node) => node.textContent);
    check(diagnostic.includes('NoSuchColumn'), 'the engine\'s diagnostic names the unknown column: ' + diagnostic);

    // A timechart: the chart is drawn as SVG.
    await setQuery(page, 'DeviceNetworkEvents\n| summarize Connections = count() by bin(Timestamp, 6h), ActionType\n' +
      '| render timechart with (title="Connections by action")');
    await page.click('#run');
    await waitOrExplain(page, page.waitForSelector('#chart-view svg', {timeout: 60000}), 'no timechart');
    const marks = await page.$$eval('#chart-view svg path', (paths) => paths.length);
    check(marks > 0, `the timechart is drawn (${marks} SVG paths)`);
    await page.evaluate(() => document.querySelector('#chart').scrollIntoView());
    await page.screenshot({path: path.join(shotsDir, 'timechart.png')});

    // Cancel: the button is enabled only while a query runs; pressing it then leaves the UI usable.
    await page.evaluate(() => fetch('/api/cancel', {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: '{}'}).then((r) => r.json()));
    check(await page.$eval('#cancel', (button) => button.disabled), 'cancel is disabled when nothing runs');

    // Schema view.
    await page.click('#tab-schema');
    const tables = await page.$$eval('#schema h3', (hs) => hs.map((h) => h.textContent));
    check(tables.includes('DeviceNetworkEvents'), 'the schema view lists DeviceNetworkEvents');

    // Hunt view, Cancel: a hunt waiting behind a slow query (a self-join of every row with every row) is cancelled
    // with the hunt view's Cancel button, then the slow query is cancelled; the view says so and can hunt again.
    await page.click('#tab-hunt');
    check(await page.$eval('#hunt-cancel', (button) => button.disabled), 'the hunt Cancel is disabled when idle');
    await page.evaluate(() => {
      window.slowQuery = fetch('/api/query', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({id: 'slow-ui', query: 'DeviceNetworkEvents | extend k = 1 | join kind=inner ' +
          '(DeviceNetworkEvents | extend k = 1) on k | join kind=inner (DeviceNetworkEvents | extend k = 1) on k ' +
          '| count'})}).then((response) => response.json());
    });
    await page.waitForFunction(async () => (await (await fetch('/api/status')).json()).running === 'slow-ui',
      {timeout: 30000, polling: 100});
    await page.click('#hunt-run');
    await page.waitForFunction(async () => (await (await fetch('/api/status')).json()).waiting.length === 1,
      {timeout: 30000, polling: 100});
    check(!(await page.$eval('#hunt-cancel', (button) => button.disabled)), 'the hunt Cancel is enabled while hunting');
    await page.click('#hunt-cancel');
    await page.evaluate(() => fetch('/api/cancel', {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: '{"id": "slow-ui"}'}));
    await page.waitForFunction(() => document.querySelector('#hunt-status').textContent === 'Cancelled',
      {timeout: 60000});
    const slowAnswer = await page.evaluate(() => window.slowQuery);
    check(slowAnswer.cancelled === true, 'the slow query was cancelled too');
    check(await page.$eval('#hunt-cancel', (button) => button.disabled) &&
      !(await page.$eval('#hunt-run', (button) => button.disabled)), 'the hunt view is ready again after Cancel');

    // Hunt view: alerts with entities and the rows behind them.
    await page.click('#hunt-run');
    await page.waitForSelector('#alerts .alert', {timeout: 120000});
    const alerts = await page.$$eval('#alerts .alert h3', (hs) => hs.map((h) => h.textContent));
    const entities = await page.$$eval('#alerts .alert .entity', (es) => es.map((e) => e.textContent));
    check(alerts.some((title) => title.includes('TacticalRMM')), 'the hunt raised the TacticalRMM alert');
    check(entities.some((text) => text.startsWith('Host: ')), 'the alert shows its Host entities');
    await page.click('#alerts .alert details summary');
    const eventRows = await page.$$eval('#alerts .alert details tbody tr', (trs) => trs.length);
    check(eventRows > 0, `the alert opens its ${eventRows} result row(s)`);
    await page.screenshot({path: path.join(shotsDir, 'hunt.png')});

    // The --chart page opens from a file with the network unused, and draws its chart.
    const offline = await browser.newPage();
    const requests = [];
    await offline.setRequestInterception(true);
    offline.on('request', (request) => {
      requests.push(request.url());
      request.url().startsWith('file:') ? request.continue() : request.abort();
    });
    await offline.goto('file://' + chartHtml, {waitUntil: 'load'});
    await offline.waitForSelector('#chart svg', {timeout: 30000});
    check(requests.every((url) => url.startsWith('file:')), 'the --chart page loads nothing but itself');

    const unexpected = errors.filter((text) => !text.includes('favicon'));
    check(unexpected.length === 0, 'no script errors in the page' + (unexpected.length ? ': ' + unexpected : ''));
  } finally {
    await browser.close();
  }
}

main().then(() => console.log('web_ui_chromium: ok')).catch((error) => {
  console.error('FAIL: ' + error.message);
  process.exit(1);
});
