// End-to-end test of `unum ui` in a real browser: the system Chromium
// (Debian chromium), driven by playwright-core.
//
//   node ui_browser_test.mjs UNUM_BINARY ARTIFACT_DIR
//
// 1. Runs tests/ui-browser/app (Bad fails) on a fresh sqlite store.
// 2. Starts `unum ui` on it, opens the page: the sessions list, the session
//    page with the graph's node states, the failing instance's error text
//    on click, a large output's preview and download link; saves a
//    screenshot (ARTIFACT_DIR/ui-session.png).
// 3. Unknown session: the page says so.
// 4. A session still running (slow-app): the page says so, then refreshes
//    by itself to SUCCEEDED.
// 5. An unreachable store: the page shows why.
// Exit 0 on success, 1 on a failed check, 77 (skipped) when Chromium or
// playwright-core is not installed; under CI=true that is a failure too.
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [unum, artifacts] = process.argv.slice(2);
const chromiumPath = '/usr/bin/chromium';
const started = Date.now();

function fail(message) {
  console.error('FAIL: ' + message);
  process.exitCode = 1;
  throw new Error(message);
}
function expectEq(actual, expected, what) {
  if (actual !== expected) {
    fail(`${what}: expected ${JSON.stringify(expected)}, got ` +
         JSON.stringify(actual));
  }
  console.log(`ok - ${what}`);
}

// A dependency scripts/test.sh installs is missing: a failure under
// CI=true, else a loud skip.
function missing(what) {
  if (process.env.CI === 'true') {
    console.log('FAIL: ' + what);
    process.exit(1);
  }
  console.log('SKIP: ' + what);
  process.exit(77);
}

if (!fs.existsSync(chromiumPath)) {
  missing('no ' + chromiumPath + ' (apt-get install chromium)');
}
let chromium;
try {
  ({chromium} = (await import('playwright-core')).default);
} catch (e) {
  missing('playwright-core missing (tests/ui-browser/install.sh)');
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unum-ui-browser-'));
const children = [];
const servers = [];  // every unum ui URL started
let context;

// Starts `unum ui` and resolves with its URL once it is listening.
function startUi(store, app) {
  const args = ['ui', '--store', store, '--port', '0'];
  if (app) args.push('--app', app);
  const child = spawn(unum, args, {stdio: ['ignore', 'pipe', 'pipe']});
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '', err = '';
    const timer = setTimeout(
        () => reject(new Error('unum ui did not start: ' + err)), 10000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) {
        clearTimeout(timer);
        servers.push(m[1]);
        resolve(m[1]);
      }
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => reject(new Error(
        `unum ui exited with ${code}: ${err}`)));
  });
}

try {
  const store = 'sqlite://' + path.join(tmp, 'ui.db');
  const app = path.join(here, 'app');
  const run = spawnSync(
      unum, ['run', app, '--store', store, '--session', 'ui-browser-1',
             '--no-progress'],
      {input: '{"n": 1}', encoding: 'utf8', timeout: 20000});
  expectEq(run.status, 1, 'unum run of the failing app exits 1');

  const url = await startUi(store, app);
  context = await chromium.launchPersistentContext(
      path.join(tmp, 'profile'), {
        executablePath: chromiumPath,
        headless: true,       // --headless
        chromiumSandbox: false,  // --no-sandbox
        args: ['--disable-gpu', '--disable-quic', '--no-first-run',
               '--disable-background-networking', '--disable-component-update',
               '--disable-sync'],
        viewport: {width: 1280, height: 800},
      });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(10000);
  // Only our servers: a CDN request would show up here.
  const foreign = [];
  page.on('request', (r) => {
    if (!servers.some((s) => r.url().startsWith(s))) foreign.push(r.url());
  });

  // Sessions list.
  await page.goto(url);
  const row = page.locator('#sessions tr.row[data-session="ui-browser-1"]');
  await row.waitFor();
  expectEq(await row.locator('.state').textContent(), 'FAILED',
           'the sessions list shows the session as FAILED');

  // Session page: graph node states.
  await row.click();
  await page.locator('#graph svg').waitFor();
  const states = {};
  for (const fn of ['Start', 'Good', 'Bad', 'Join']) {
    states[fn] = await page.locator('#fn_' + fn).getAttribute('data-state');
  }
  expectEq(JSON.stringify(states),
           JSON.stringify({Start: 'done', Good: 'done', Bad: 'failed',
                           Join: 'not_reached'}),
           'graph node states');
  expectEq(await page.locator('#fn_Bad path').first().getAttribute('fill'),
           '#ffcdd2', 'the failed node is drawn red');
  expectEq(await page.locator('#session-error').textContent(),
           'Failed in Bad-unumIndex-1: disk on fire: sector 7',
           'the session error line');

  // The timeline: one bar per delivery (Start, Good, Bad three times).
  await page.locator('#timeline svg').waitFor();
  expectEq(await page.locator('#timeline rect.bar').count(), 5,
           'the timeline has a bar per delivery');
  expectEq(await page.locator('#timeline rect.bar.failed').count(), 3,
           'three of them failed');

  // The failing instance's error on click.
  await page.locator('#fn_Bad').click();
  await page.locator('#detail-error').waitFor();
  expectEq(await page.locator('#detail-title').textContent(),
           'Bad-unumIndex-1', 'clicking the Bad node opens its instance');
  expectEq(await page.locator('#detail-error').textContent(),
           'disk on fire: sector 7', 'the failing instance\'s error text');
  const attempts = await page.locator('#details table tr').count();
  expectEq(attempts, 4, 'three attempts listed (plus the header row)');
  fs.mkdirSync(artifacts, {recursive: true});
  await page.screenshot({path: path.join(artifacts, 'ui-session.png'),
                         fullPage: true});

  // A large output: a preview and a download link to all of it.
  await page.locator('#instances tr.row[data-instance="Good-unumIndex-0"]')
      .click();
  await page.locator('a.download').waitFor();
  expectEq(await page.locator('a.download').textContent(),
           'Download all of it', 'a large output offers a download');
  const href = await page.locator('a.download').getAttribute('href');
  const full = await (await fetch(new URL(href, url))).json();
  expectEq(full.blob.length, 6000, 'the download holds the whole output');

  // Unknown session.
  await page.goto(url + '#/s/nope');
  await page.locator('#banner:not([hidden])').waitFor();
  expectEq(await page.locator('#banner').textContent(),
           'no session "nope" in this store (no session record, no trace)',
           'an unknown session is named');

  // A running session, refreshed live until it succeeds.
  const slowApp = path.join(here, 'slow-app');
  const slow = spawn(unum, ['run', slowApp, '--store', store, '--session',
                            'ui-browser-slow', '--no-progress'],
                     {stdio: ['pipe', 'ignore', 'ignore']});
  children.push(slow);
  slow.stdin.end('{"n": 2}');
  const slowUi = await startUi(store, slowApp);
  // Start reports once it has finished; then the session is running.
  for (let i = 0; i < 100; ++i) {
    const r = await fetch(slowUi + 'api/sessions/ui-browser-slow');
    if (r.ok && (await r.json()).deliveries > 0) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  await page.goto(slowUi + '#/s/ui-browser-slow');
  await page.locator('#running-note').waitFor();
  expectEq(await page.locator('#fn_Slow').getAttribute('data-state'),
           'running', 'a running session shows its running function');
  await page.locator('h2 .state.SUCCEEDED').waitFor({timeout: 15000});
  expectEq(await page.locator('#fn_Slow').getAttribute('data-state'), 'done',
           'the page refreshed by itself to the finished session');

  // An unreachable store.
  const deadUi = await startUi('redis://127.0.0.1:1', null);
  await page.goto(deadUi);
  await page.locator('#banner:not([hidden])').waitFor();
  const text = await page.locator('#banner').textContent();
  if (!text.startsWith('the datastore is unreachable: ')) {
    fail('unreachable store message: ' + text);
  }
  console.log('ok - an unreachable store is reported: ' + text);

  expectEq(JSON.stringify(foreign), '[]', 'no request left the unum ui servers');
  console.log(`PASS in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (e) {
  if (!process.exitCode) {
    console.error('FAIL: ' + e.stack);
    process.exitCode = 1;
  }
} finally {
  if (context) await context.close();
  for (const c of children) {
    if (c.exitCode === null) c.kill('SIGTERM');
  }
  fs.rmSync(tmp, {recursive: true, force: true});
}
