// The HTML of the fake Colab notebook page and sign-in page. It imitates what Airlock's driver
// meets in Colab — the Runtime menu, the runtime-type dialog, Run all (menu and Ctrl+F9), the
// "not authored by Google" warning, the GPU-backend, Drive-permission and disconnected dialogs —
// using the selectors and texts of src/core/colab/colabSelectors.json, as Colab's page does.

export interface PageScenario {
  fileId: string;
  title: string;
  cells: string[];
  offeredGpus: string[];
  noGpuBackend: boolean;
  drivePermission: 'granted' | 'prompt';
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const css = `body{font:14px Roboto,Arial,sans-serif;margin:0;background:#fff;color:#202124}
#top{display:flex;gap:16px;align-items:center;padding:8px 16px;border-bottom:1px solid #ddd;background:#f8f9fa}
#top b{font-size:18px}.menu-button{cursor:pointer;padding:4px 8px}.menu-button:hover{background:#e8eaed}
#menu{position:absolute;top:40px;left:120px;background:#fff;border:1px solid #ccc;box-shadow:0 2px 6px #0003}
#menu div{padding:6px 24px;cursor:pointer}#menu div:hover{background:#e8eaed}
.cell{margin:12px 16px;border:1px solid #e0e0e0;border-radius:4px}.cell pre{margin:0;padding:8px;background:#f7f7f7;white-space:pre-wrap}
.out{padding:4px 8px;color:#444;font-family:monospace}
[role=dialog]{position:fixed;top:120px;left:50%;transform:translateX(-50%);width:460px;background:#fff;border-radius:8px;box-shadow:0 4px 24px #0005;padding:20px}
[role=dialog] h2{margin-top:0;font-size:18px}[role=dialog] button{margin:12px 8px 0 0}
#status{margin-left:auto;color:#1a73e8}`;

export function notebookPage(s: PageScenario): string {
  const cells = s.cells.map((c, i) => `<div class="cell"><pre>${esc(c)}</pre><div class="out" id="out-${i}"></div></div>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(s.title)} - Colab</title><style>${css}</style></head><body>
<div id="top"><b>${esc(s.title)}</b><span class="menu-button">File</span><span class="menu-button">Edit</span>
<span class="menu-button" id="runtime-menu-button" role="button">Runtime</span><span id="status">Connect</span></div>
<div id="menu" hidden><div command="runall">Run all</div><div command="interrupt">Interrupt execution</div><div command="change-runtime-type">Change runtime type</div></div>
<div id="cells">${cells}</div>
<div id="dialog" role="dialog" hidden></div>
<script>
const S = ${JSON.stringify(s)};
const $ = (q) => document.querySelector(q);
const dialog = $('#dialog');
function show(html) { dialog.innerHTML = html; dialog.hidden = false; }
function hide() { dialog.hidden = true; dialog.innerHTML = ''; }
const post = (path, body) => fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body || {}) });
$('#runtime-menu-button').onclick = () => { $('#menu').hidden = !$('#menu').hidden; };
document.querySelector('[command=change-runtime-type]').onclick = () => {
  $('#menu').hidden = true;
  const radios = ['T4', 'L4', 'A100'].map((g) => {
    const off = !S.offeredGpus.includes(g);
    return '<label><input type="radio" name="acc" role="radio" aria-label="' + g + '" value="' + g + '"' + (off ? ' disabled aria-disabled="true"' : '') + '> ' + g + ' GPU</label><br>';
  }).join('');
  show('<colab-runtime-type-dialog><h2>Change runtime type</h2><p>Hardware accelerator</p><label><input type="radio" name="acc" value="none"> CPU</label><br>' + radios + '<button id="cancel">Cancel</button><button id="save">Save</button></colab-runtime-type-dialog>');
  $('#cancel').onclick = hide;
  $('#save').onclick = async () => { const c = document.querySelector('input[name=acc]:checked'); await post('/_fake/runtime/' + S.fileId, { gpu: c ? c.value : null }); hide(); };
};
document.querySelector('[command=interrupt]').onclick = () => { $('#menu').hidden = true; post('/_fake/interrupt/' + S.fileId); };
document.querySelector('[command=runall]').onclick = () => { $('#menu').hidden = true; runAll(); };
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') { $('#menu').hidden = true; if (!dialog.querySelector('colab-runtime-type-dialog')) return; hide(); }
  if (e.ctrlKey && e.key === 'F9') { e.preventDefault(); runAll(); }
});
function runAll() {
  show('<h2>Warning: This notebook was not authored by Google</h2><p>This notebook is being loaded from GitHub or Drive. It may request access to your data stored with Google, or read data and credentials from other sessions.</p><button id="cancel">Cancel</button><button id="go">Run anyway</button>');
  $('#cancel').onclick = hide;
  $('#go').onclick = () => { hide(); connect(); };
}
function connect() {
  if (S.noGpuBackend) {
    $('#status').textContent = 'Connecting…';
    return show('<h2>Cannot connect to GPU backend</h2><p>You cannot currently connect to a GPU due to usage limits in Colab.</p><button id="close">Close</button><button>Connect without GPU</button>');
  }
  $('#status').textContent = 'Connected';
  if (S.drivePermission === 'prompt') {
    return show('<h2>Permit this notebook to access your Google Drive files?</h2><p>This notebook is requesting access to your Google Drive files.</p><button>No thanks</button><button>Connect to Google Drive</button>');
  }
  post('/_fake/run/' + S.fileId);
  const poll = setInterval(async () => {
    const st = await (await fetch('/_fake/state/' + S.fileId)).json();
    for (const [i, text] of Object.entries(st.outputs)) { const el = document.getElementById('out-' + i); if (el) el.textContent = text; }
    if (st.disconnected) {
      clearInterval(poll);
      $('#status').textContent = 'Disconnected';
      show('<h2>Runtime disconnected</h2><p>Your runtime has been disconnected due to inactivity or reaching its maximum duration.</p><button>Close</button><button>Reconnect</button>');
    }
    if (st.finished) clearInterval(poll);
  }, 150);
}
</script></body></html>`;
}

export function signInPage(continueUrl: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Sign in - Google Accounts</title><style>${css}</style></head><body>
<div style="margin:80px auto;width:360px;border:1px solid #ddd;border-radius:8px;padding:32px"><h1>Sign in</h1><p>to continue to Colaboratory</p>
<input id="email" placeholder="Email or phone"><br><button id="next">Next</button></div>
<script>document.getElementById('next').onclick = () => { document.cookie = 'SID=fake-session; path=/; max-age=31536000'; location.href = ${JSON.stringify(continueUrl)}; };</script>
</body></html>`;
}
