// The inspector, end to end: a real capture dropped on the release build served by `cwmpi serve`
// opens into sessions, ladder and message panes; captured text never runs as HTML.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { animationsDone, baseUrl, captureVectors, launchBrowser, screenshots, watchProblems } from './harness.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** Opens the app at a viewport size and collects page errors, console errors and dialogs. */
async function openApp(viewport = { width: 1280, height: 720 }) {
  const page = await browser.newPage({ viewport });
  const problems = watchProblems(page);
  const main = await page.goto(baseUrl);
  assert.equal(main.status(), 200);
  await page.locator('#drop-zone').waitFor();
  return { page, problems };
}

/** Drops a file from the test vectors on the drop zone, as a user dragging it in would. */
async function dropVector(page, name) {
  const bytes = await readFile(path.join(captureVectors, name));
  const transfer = await page.evaluateHandle(
    ({ name, data }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], name));
      return transfer;
    },
    { name, data: [...bytes] },
  );
  await page.dispatchEvent('#drop-zone', 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer: transfer });
}

/** Pastes text with Ctrl+V outside any text field. */
async function pasteAnywhere(page, text) {
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, text);
}

async function shoot(page, name) {
  // Let colour transitions settle before the picture.
  await animationsDone(page);
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: false });
}

const baicells = 'magma_baicells_qrtb_enodebd_tr069.pcap';

test('a dropped pcap opens into sessions, ladder, decoded message and findings', async () => {
  const { page, problems } = await openApp();
  await dropVector(page, baicells);
  const sessions = page.locator('[data-testid=session]');
  await sessions.first().waitFor();
  assert.equal(await sessions.count(), 3);
  assert.equal(await page.locator('.capture-name .name').textContent(), baicells);

  const chip = page.locator('[data-testid=import-summary]');
  const summary = await chip.textContent();
  assert.match(summary, /170 frames/);
  assert.match(summary, /34 HTTP messages/);
  assert.match(summary, /3 sessions/);
  await chip.click();
  assert.match(await page.locator('[data-testid=import-problems]').textContent(), /nothing was left undecoded/);
  await chip.click();
  await page.locator('[data-testid=import-problems]').waitFor({ state: 'detached' });

  // Session 0 is selected first; ↓ moves to session 1.
  assert.equal(await page.locator('[data-testid=session].selected').getAttribute('data-session-id'), '0');
  await page.keyboard.press('ArrowDown');
  await page.locator('[data-testid=session][data-session-id="1"].selected').waitFor();
  const messages = page.locator('[data-testid=message]');
  assert.equal(await messages.count(), 14);
  assert.equal(await messages.first().getAttribute('data-rpc'), 'Inform');
  assert.equal(await messages.first().getAttribute('data-direction'), 'cpe-to-acs');
  assert.equal(await messages.nth(1).getAttribute('data-direction'), 'acs-to-cpe');
  assert.equal(await messages.nth(3).locator('.label').textContent(), 'GetParameterValues · 7 params');
  // The Inform's codec findings mark its arrow.
  assert.equal(await messages.first().locator('.marker').count(), 1);

  // Clicking a GetParameterValuesResponse selects it and lists its parameters.
  const response = page.locator('[data-testid=message][data-rpc=GetParameterValuesResponse]').first();
  await response.click();
  assert.match(await response.getAttribute('class'), /\bselected\b/);
  const parameters = page.locator('[data-testid=parameters] tbody tr');
  assert.equal(await parameters.count(), 7);
  assert.match(await parameters.first().locator('.param-name').textContent(), /^(Device|InternetGatewayDevice)\./);
  assert.match(await page.locator('.message-header').textContent(), /CPE → ACS\s*GetParameterValuesResponse/);
  // The BBF data models are fetched on demand and describe each standard path.
  const opState = parameters.filter({ hasText: 'FAPControl.LTE.OpState' }).locator('[data-testid=datamodel]');
  await opState.filter({ hasText: 'boolean' }).waitFor();
  assert.match(await opState.textContent(), /^read-only · boolean — Current operational state/);
  const vendor = parameters.filter({ hasText: 'X_COM_1588_Status' }).locator('[data-testid=datamodel]');
  assert.equal(await vendor.textContent(), 'vendor extension, not in the BBF model');
  const latitude = parameters.filter({ hasText: 'FAP.GPS.LockedLatitude' }).locator('[data-testid=datamodel]');
  assert.match(await latitude.textContent(), /int/);
  await shoot(page, 'inspector');

  await page.click('.tab[data-tab=xml]');
  const xml = await page.locator('[data-testid=xml]').textContent();
  assert.match(xml, /<SOAP-ENV:Envelope|<soap:Envelope|Envelope/);
  assert.match(xml, /GetParameterValuesResponse/);
  assert.match(xml, /\n\s+<ParameterValueStruct/);
  await shoot(page, 'inspector-xml');

  await page.click('.tab[data-tab=http]');
  assert.match(await page.locator('[data-testid=http]').textContent(), /^POST \S+ HTTP\/1\.1\n/);

  // Findings carry their rule; clicking one selects its message and shows the Findings tab.
  const findings = page.locator('[data-testid=finding]');
  assert.ok(await findings.count() >= 3);
  for (const rule of await findings.evaluateAll((all) => all.map((f) => f.dataset.rule))) {
    assert.match(rule, /^[a-z]+\.[a-z0-9-]+$/);
  }
  await page.click('[data-testid=finding][data-rule="codec.missing-element"]');
  const selected = page.locator('[data-testid=message].selected');
  assert.equal(await selected.getAttribute('data-index'), '9');
  assert.equal(await selected.getAttribute('data-rpc'), 'SetParameterValues');
  assert.match(await page.locator('[data-testid=message-detail]').textContent(), /ParameterKey> is missing/);

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.click('[data-testid=message][data-rpc=GetParameterValuesResponse] >> nth=0');
  await page.click('.tab[data-tab=decoded]');
  await shoot(page, 'inspector-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // "New capture" returns to the start screen, which lists the input to reopen.
  await page.click('#new-capture');
  await page.locator('#drop-zone').waitFor();
  assert.equal(await page.locator('.loaded-input .name').first().textContent(), baicells);
  assert.deepEqual(problems, []);
  await page.close();
});

test('on a phone-sized screen the panes stack and stay usable', async () => {
  for (const scheme of ['light', 'dark']) {
    const { page, problems } = await openApp({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: scheme });
    await dropVector(page, baicells);
    await page.locator('[data-testid=session]').first().waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the page scrolls sideways: ${width}px`);
    const box = await page.locator('.ladder-pane').boundingBox();
    assert.ok(box.width <= 390 && box.width > 300, `ladder pane ${box.width}px wide`);
    await shoot(page, `inspector-390${scheme === 'dark' ? '-dark' : ''}`);
    await page.locator('[data-testid=message][data-rpc=GetParameterValuesResponse]').first().click();
    await page.locator('.message-pane').scrollIntoViewIfNeeded();
    await shoot(page, `inspector-390-message${scheme === 'dark' ? '-dark' : ''}`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('captured text that looks like HTML is shown as text and never runs', async () => {
  const { page, problems } = await openApp();
  const script = '<script>window.__xss=1</script>';
  const img = '<img src=x onerror="window.__xss=1">';
  const escape = (text) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  const body = [
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"',
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">',
    '<soap:Header><cwmp:ID soap:mustUnderstand="1">42</cwmp:ID></soap:Header><soap:Body><cwmp:Inform>',
    `<DeviceId><Manufacturer>Evil</Manufacturer><OUI>001122</OUI><ProductClass>Router</ProductClass>`,
    `<SerialNumber>SN${escape(script)}</SerialNumber></DeviceId>`,
    '<Event><EventStruct><EventCode>1 BOOT</EventCode><CommandKey></CommandKey></EventStruct></Event>',
    '<MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2024-01-01T00:00:00Z</CurrentTime><RetryCount>0</RetryCount>',
    '<ParameterList>',
    `<ParameterValueStruct><Name>Device.X_Script</Name><Value xsi:type="xsd:string">${escape(script)}</Value></ParameterValueStruct>`,
    `<ParameterValueStruct><Name>Device.X_Img</Name><Value xsi:type="xsd:string">${escape(img)}</Value></ParameterValueStruct>`,
    '</ParameterList></cwmp:Inform></soap:Body></soap:Envelope>',
  ].join('');
  const transcript = [
    'POST /acs HTTP/1.1',
    'Host: acs.example',
    'Content-Type: text/xml',
    `X-Evil: ${script}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
    'HTTP/1.1 204 No Content',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  await pasteAnywhere(page, transcript);
  await page.locator('[data-testid=session]').first().waitFor();
  assert.equal(await page.locator('[data-testid=message]').count(), 2);

  const table = await page.locator('[data-testid=parameters]').textContent();
  assert.ok(table.includes(script), table);
  assert.ok(table.includes(img), table);
  assert.ok((await page.locator('.device-id').textContent()).includes(`SN${script}`));
  await shoot(page, 'xss-decoded');

  await page.click('.tab[data-tab=http]');
  assert.ok((await page.locator('[data-testid=http]').textContent()).includes(`X-Evil: ${script}`));
  await page.click('.tab[data-tab=xml]');
  assert.ok((await page.locator('[data-testid=xml]').textContent()).includes(escape(script)));

  // Nothing ran and nothing was turned into elements.
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator('img[src=x]').count(), 0);
  assert.equal(await page.locator('body script:not([src])').evaluateAll((all) => all.filter((s) => s.textContent.includes('__xss')).length), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('markup in every captured field stays text, in every pane and tab', async () => {
  const { page, problems } = await openApp();
  const vector = path.join(path.dirname(captureVectors), '..', '..', '..', 'tests', 'e2e', 'vectors', 'xss.http');
  await page.setInputFiles('[data-testid=capture-input]', vector);
  await page.locator('[data-testid=session]').first().waitFor();
  // The manufacturer (device header), a parameter name (GetParameterValues), a fault string and a
  // cookie (in a finding) all carry markup.
  assert.ok((await page.locator('.device-header').first().textContent()).includes('Evil<script>'));
  for (const message of await page.locator('[data-testid=message]').all()) {
    await message.click();
    for (const tab of ['decoded', 'xml', 'http', 'findings']) {
      await page.click(`.tab[data-tab=${tab}]`);
    }
  }
  await page.locator('[data-testid=message][data-rpc=Fault]').click();
  await page.click('.tab[data-tab=decoded]');
  assert.ok((await page.locator('[data-testid=message-detail]').textContent()).includes('<img src=x onerror='));
  await page.locator('[data-testid=finding]').first().click();
  await page.fill('[data-testid=filter]', 'param:script');
  await page.locator('[data-testid=filter-count]').waitFor();
  await shoot(page, 'xss-everywhere');
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator('img[src=x]').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});
