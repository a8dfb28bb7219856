// The unum web view: a sessions list (#/) and a session page (#/s/ID) with
// the graph coloured by function state and each instance's input, output
// and error on click. Read-only; refreshes every second while a session
// runs. Talks only to this server's /api.
'use strict';

const $ = (sel) => document.querySelector(sel);
let timer = null;
let selected = null;  // instance shown in the details panel

function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'
  })[c]);
}

function ms(us) { return (us / 1000).toFixed(1); }

function when(us) {
  return us > 0 ? new Date(us / 1000).toISOString().replace('T', ' ')
                      .slice(0, 19) : '-';
}

async function api(path) {
  let res;
  try {
    res = await fetch(path, {cache: 'no-store'});
  } catch (e) {
    throw new Error('the unum ui server is not answering (' + e.message + ')');
  }
  const type = res.headers.get('Content-Type') || '';
  if (!res.ok) {
    let message = res.status + ' ' + res.statusText;
    if (type.startsWith('application/json')) {
      message = (await res.json()).error || message;
    }
    const err = new Error(message);
    err.status = res.status;
    throw err;
  }
  return type.startsWith('application/json') ? res.json() : res.text();
}

function banner(message) {
  const b = $('#banner');
  b.hidden = !message;
  b.textContent = message || '';
}

function stateTag(state) {
  return '<span class="state ' + esc(state) + '">' +
         esc(state.replace('_', ' ')) + '</span>';
}

async function showSessions() {
  $('#subtitle').textContent = 'sessions';
  const data = await api('/api/sessions');
  if (data.sessions.length === 0) {
    $('#main').innerHTML = '<p class="muted">No sessions in this store yet.</p>';
    return;
  }
  let html = '<table id="sessions"><tr><th>started (UTC)</th><th>status</th>' +
             '<th>took ms</th><th>deliveries</th><th>session</th></tr>';
  for (const s of data.sessions) {
    html += '<tr class="row" data-session="' + esc(s.session) + '"><td>' +
            when(s.start_us) + '</td><td>' + stateTag(s.state) + '</td><td>' +
            (s.deliveries ? ms(s.end_us - s.start_us) : '-') + '</td><td>' +
            s.deliveries + '</td><td><a href="#/s/' +
            encodeURIComponent(s.session) + '">' + esc(s.session) +
            '</a></td></tr>';
  }
  $('#main').innerHTML = html + '</table>';
  for (const row of document.querySelectorAll('#sessions tr.row')) {
    row.onclick = () => {
      location.hash = '#/s/' + encodeURIComponent(row.dataset.session);
    };
  }
}

function part(title, p, url) {
  if (!p) return '';
  let html = '<h3>' + title + ' <span class="muted">(' + p.bytes +
             ' bytes)</span></h3><pre class="' + title.toLowerCase() + '">' +
             esc(p.preview) + '</pre>';
  if (p.truncated) {
    html += '<p class="note">Showing the first ' +
            Math.min(p.preview.length, 4096) + ' characters. ' +
            (p.kept_whole ? '' :
                 'The trace kept only the beginning of this ' +
                 title.toLowerCase() + '. ') +
            '<a class="download" href="' + url + '" download>Download ' +
            (p.kept_whole ? 'all of it' : 'what was kept') + '</a></p>';
  }
  return html;
}

async function showInstance(session, instance) {
  selected = instance;
  for (const row of document.querySelectorAll('#instances tr.row')) {
    row.classList.toggle('selected', row.dataset.instance === instance);
  }
  const base = '/api/sessions/' + encodeURIComponent(session) +
               '/instances/' + encodeURIComponent(instance);
  let d;
  try {
    d = await api(base);
  } catch (e) {
    $('#details').innerHTML = '<p class="banner">' + esc(e.message) + '</p>';
    return;
  }
  let html = '<h2 id="detail-title">' + esc(d.instance) + '</h2>' +
             '<table><tr><th>attempt</th><th>status</th><th>took ms</th></tr>';
  let error = '';
  for (const e of d.events) {
    html += '<tr><td>' + e.attempt + '</td><td>' + esc(e.status) +
            '</td><td>' + ms(e.end_us - e.start_us) + '</td></tr>';
    if (e.error) error = e.error;
  }
  html += '</table>';
  if (error) {
    html += '<h3>Error</h3><pre class="error" id="detail-error">' +
            esc(error) + '</pre>';
  }
  if (d.sources) {
    html += '<h3>Input</h3><p>The outputs of ' +
            d.sources.map(esc).join(', ') + '</p>';
  }
  html += part('Input', d.input, base + '/input');
  html += part('Output', d.output, base + '/output');
  $('#details').innerHTML = html;
}

function showFunction(session, view, fn) {
  const rows = view.instances.filter((i) => i.function === fn);
  if (rows.length === 1) return showInstance(session, rows[0].instance);
  const f = view.functions[fn] || {state: 'not_reached'};
  let html = '<h2 id="detail-title">' + esc(fn) + '</h2><p>' +
             stateTag(f.state) + ' ' + rows.length + ' instance(s)</p>';
  for (const i of rows) {
    html += '<div><a href="#" class="instance-link" data-instance="' +
            esc(i.instance) + '">' + esc(i.instance) + '</a> ' +
            stateTag(i.state) + '</div>';
  }
  $('#details').innerHTML = html;
  for (const a of document.querySelectorAll('.instance-link')) {
    a.onclick = (ev) => {
      ev.preventDefault();
      showInstance(session, a.dataset.instance);
    };
  }
}

async function showSession(session) {
  $('#subtitle').textContent = 'session ' + session;
  const view = await api('/api/sessions/' + encodeURIComponent(session));
  let html = '<h2>' + stateTag(view.state) + ' ' + esc(view.session) + '</h2>' +
             '<p id="summary">' + view.deliveries + ' deliveries, ' +
             ms(view.end_us - view.start_us) + ' ms</p>';
  if (view.state === 'RUNNING') {
    html += '<p class="note" id="running-note">This session is still ' +
            'running: the page refreshes every second.</p>';
  }
  if (view.error) {
    html += '<p class="banner" id="session-error">Failed in ' +
            esc(view.error.instance) + ': ' + esc(view.error.message) + '</p>';
  }
  html += '<div class="layout"><div id="graph"></div><div><table ' +
          'id="instances"><tr><th>instance</th><th>status</th><th>attempts' +
          '</th><th>took ms</th></tr>';
  for (const i of view.instances) {
    html += '<tr class="row" data-instance="' + esc(i.instance) + '"><td>' +
            esc(i.instance) + '</td><td>' + stateTag(i.state) + '</td><td>' +
            i.attempts + '</td><td>' + ms(i.end_us - i.start_us) +
            '</td></tr>';
  }
  html += '</table></div><div id="details"><p class="muted">Click an ' +
          'instance or a graph node.</p></div></div>' +
          '<h3>Timeline</h3><div id="timeline"></div>';
  $('#main').innerHTML = html;
  for (const row of document.querySelectorAll('#instances tr.row')) {
    row.onclick = () => showInstance(session, row.dataset.instance);
  }
  if (view.has_graph) {
    try {
      const svg = await api('/api/sessions/' + encodeURIComponent(session) +
                            '/graph.svg');
      $('#graph').innerHTML = svg.slice(svg.indexOf('<svg'));
      for (const [name, f] of Object.entries(view.functions)) {
        const node = document.getElementById('fn_' + name);
        if (!node) continue;
        node.dataset.state = f.state;
        node.onclick = () => showFunction(session, view, name);
      }
    } catch (e) {
      $('#graph').innerHTML = '<p class="banner">' + esc(e.message) + '</p>';
    }
  } else {
    $('#graph').innerHTML = '<p class="muted">Start <code>unum ui</code> ' +
                            'with <code>--app APP_DIR</code> to see the ' +
                            'graph.</p>';
  }
  try {
    const svg = await api('/api/sessions/' + encodeURIComponent(session) +
                          '/timeline.svg');
    $('#timeline').innerHTML = svg;
  } catch (e) {
    $('#timeline').innerHTML = '<p class="banner">' + esc(e.message) + '</p>';
  }
  if (selected && view.instances.some((i) => i.instance === selected)) {
    await showInstance(session, selected);
  }
  if (view.state === 'RUNNING') {
    timer = setTimeout(() => route(false), 1000);
  }
}

async function route(fresh = true) {
  clearTimeout(timer);
  if (fresh) selected = null;
  const hash = location.hash || '#/';
  try {
    if (hash.startsWith('#/s/')) {
      await showSession(decodeURIComponent(hash.slice(4)));
    } else {
      await showSessions();
    }
    banner('');
  } catch (e) {
    banner(e.message);
    if (e.status === 404) $('#main').innerHTML = '';
  }
  document.body.dataset.ready = 'true';
}

window.addEventListener('hashchange', () => route(true));
route(true);
