// The sandbox messenger: plain JS, polls the sandbox's own JSON API (/sandbox/api) every second.
'use strict';

const TASK_STATUS = { 2: 'pending', 3: 'in progress', 4: 'awaiting control', 5: 'completed', 6: 'deferred' };
const view = { userId: null, dialogId: null, chatsJson: '', dialogJson: '', pressing: new Set() };
const $ = (id) => document.getElementById(id);

async function api(path, body) {
  const res = await fetch(`/sandbox/api${path}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(json.message || json.error || res.statusText);
  return json;
}

function setStatus(text) {
  $('status').textContent = text;
}

async function loadPeople() {
  const people = await api('/people');
  const select = $('who');
  select.innerHTML = '';
  for (const p of people) {
    const opt = document.createElement('option');
    opt.value = String(p.id);
    opt.textContent = `${p.name} — ${p.position}${p.department ? ` (${p.department})` : ''}`;
    select.appendChild(opt);
  }
  const wanted = new URLSearchParams(location.search).get('user');
  const fallback = people.find((p) => p.id === 2) || people[0];
  view.userId = Number(wanted || (fallback && fallback.id));
  select.value = String(view.userId);
  view.dialogId = new URLSearchParams(location.search).get('dialog');
  showDialogPane(Boolean(view.dialogId));
}

function renderChats(chats) {
  const json = JSON.stringify(chats) + view.dialogId;
  if (json === view.chatsJson) return;
  view.chatsJson = json;
  const list = $('chats');
  list.innerHTML = '';
  for (const c of chats) {
    const li = document.createElement('li');
    li.dataset.dialogId = c.dialogId;
    li.className = c.dialogId === view.dialogId ? 'active' : '';
    li.innerHTML = `<div class="title"></div><div class="last"></div>`;
    li.querySelector('.title').textContent = c.title || c.dialogId;
    if (c.kind === 'bot' || c.kind === 'task') {
      const tag = document.createElement('span');
      tag.className = 'kind';
      tag.textContent = c.kind;
      li.querySelector('.title').appendChild(tag);
    }
    li.querySelector('.last').textContent = c.lastText;
    li.addEventListener('click', () => openDialog(c.dialogId));
    list.appendChild(li);
  }
}

function renderButton(msg, b) {
  if (b.kind === 'newline') {
    const br = document.createElement('div');
    br.className = 'kb-break';
    return br;
  }
  const btn = document.createElement('button');
  btn.type = 'button';
  btn.className = `kb-button ${b.display === 'BLOCK' ? 'block' : 'line'} ${b.colorToken || ''}`;
  btn.textContent = b.text;
  btn.disabled = b.disabled;
  btn.dataset.index = String(b.index);
  btn.dataset.messageId = String(msg.id);
  if (b.bgColor) btn.style.background = b.bgColor;
  if (b.textColor) btn.style.color = b.textColor;
  btn.addEventListener('click', () => pressButton(msg, b));
  return btn;
}

function renderMessage(msg) {
  const el = document.createElement('div');
  el.className = `message${msg.own ? ' own' : ''}${msg.isBot ? ' bot' : ''}${msg.system ? ' system' : ''}`;
  el.dataset.messageId = String(msg.id);
  const head = document.createElement('div');
  head.className = 'author';
  head.textContent = msg.authorName;
  const date = document.createElement('span');
  date.className = 'date';
  date.textContent = msg.date.slice(11, 16);
  head.appendChild(date);
  const body = document.createElement('div');
  body.className = 'text';
  body.innerHTML = msg.deleted ? '<i>message deleted</i>' : msg.html;
  el.append(head, body);
  for (const html of msg.attach) {
    const a = document.createElement('div');
    a.className = 'attach';
    a.innerHTML = html;
    el.appendChild(a);
  }
  for (const f of msg.files) {
    const a = document.createElement('a');
    a.href = f.url;
    a.textContent = `📎 ${f.name} (${f.size} bytes)`;
    el.appendChild(a);
  }
  if (msg.keyboard.length) {
    const kb = document.createElement('div');
    kb.className = 'keyboard';
    for (const b of msg.keyboard) kb.appendChild(renderButton(msg, b));
    el.appendChild(kb);
  }
  return el;
}

function renderDialog(d) {
  const json = JSON.stringify(d);
  if (json === view.dialogJson) return;
  const box = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  view.dialogJson = json;
  $('empty').hidden = true;
  $('dialog').hidden = false;
  $('dialog-title').textContent = d.task ? `Task #${d.task.id}: ${d.task.title}` : d.title;
  $('task-bar').hidden = !d.task;
  if (d.task) {
    $('task-status').textContent = `Status: ${TASK_STATUS[d.task.status] || d.task.status}`;
    $('complete-task').disabled = d.task.status === 5;
  }
  $('typing').textContent = d.typing ? `${d.typing} is typing…` : '';
  box.innerHTML = '';
  for (const m of d.messages) box.appendChild(renderMessage(m));
  if (atBottom) box.scrollTop = box.scrollHeight;
}

async function refresh() {
  if (!view.userId) return;
  try {
    renderChats(await api(`/users/${view.userId}/chats`));
    if (view.dialogId) renderDialog(await api(`/users/${view.userId}/dialogs/${encodeURIComponent(view.dialogId)}`));
    setStatus(`updated ${new Date().toLocaleTimeString()}`);
  } catch (e) {
    setStatus(`error: ${e.message}`);
  }
}

// On a phone only one pane shows: the chat list, or the open dialog (see messenger.css).
function showDialogPane(open) {
  document.body.classList.toggle('in-dialog', open);
}

function openDialog(dialogId) {
  view.dialogId = dialogId;
  view.dialogJson = '';
  showDialogPane(true);
  history.replaceState(null, '', `?user=${view.userId}&dialog=${encodeURIComponent(dialogId)}`);
  refresh();
}

function closeDialog() {
  view.dialogId = null;
  view.dialogJson = '';
  showDialogPane(false);
  $('dialog').hidden = true;
  $('empty').hidden = false;
  history.replaceState(null, '', `?user=${view.userId}`);
  refresh();
}

$('back').addEventListener('click', closeDialog);

async function write(text) {
  await api('/actions/write', { userId: view.userId, dialogId: view.dialogId, text });
  await refresh();
}

async function pressButton(msg, b) {
  try {
    if (b.kind === 'command') {
      // the disabled state comes from the portal (BLOCK:"Y"), so only guard against double clicks here
      const key = `${msg.id}:${b.index}`;
      if (view.pressing.has(key)) return;
      view.pressing.add(key);
      try {
        await api('/actions/click', { userId: view.userId, messageId: msg.id, buttonIndex: b.index });
      } finally {
        view.pressing.delete(key);
      }
    } else if (b.kind === 'link') {
      window.open(b.link, '_blank', 'noopener');
    } else if (b.action === 'PUT') {
      $('text').value = b.actionValue;
    } else if (b.action === 'SEND') {
      await write(b.actionValue);
    } else if (b.action === 'COPY') {
      await navigator.clipboard.writeText(b.actionValue);
    } else if (b.action === 'DIALOG') {
      openDialog(b.actionValue);
    }
    await refresh();
  } catch (e) {
    setStatus(`error: ${e.message}`);
  }
}

$('messages').addEventListener('click', (ev) => {
  const send = ev.target.closest('.bb-send');
  const put = ev.target.closest('.bb-put');
  if (send) write(send.dataset.send).catch((e) => setStatus(`error: ${e.message}`));
  if (put) $('text').value = put.dataset.put;
  if (send || put) ev.preventDefault();
});

$('composer').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const text = $('text').value;
  if (!text.trim()) return;
  try {
    await write(text);
    $('text').value = '';
  } catch (e) {
    setStatus(`error: ${e.message}`);
  }
});

$('text').addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && !ev.shiftKey) {
    ev.preventDefault();
    $('composer').requestSubmit();
  }
});

$('complete-task').addEventListener('click', async () => {
  const d = JSON.parse(view.dialogJson || 'null');
  if (!d || !d.task) return;
  try {
    await api('/actions/complete-task', { userId: view.userId, taskId: d.task.id });
    await refresh();
  } catch (e) {
    setStatus(`error: ${e.message}`);
  }
});

$('who').addEventListener('change', () => {
  view.userId = Number($('who').value);
  closeDialog();
});

loadPeople().then(refresh).catch((e) => setStatus(`error: ${e.message}`));
setInterval(refresh, 1000);
