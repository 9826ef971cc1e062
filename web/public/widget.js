/*
 * Switchboard web chat widget (plain JS, no build step; served as /widget.js).
 *
 *   <script src="https://HOST/widget.js" data-tenant="demo" data-entry="web" async></script>
 *
 * Optional: data-identity, data-ts, data-sig (a verified identity signed by the host site:
 * hex HMAC-SHA256 of "{identity}:{ts}" with the entry point's secret) and data-lang
 * ("zh-CN" or "en"). Adds a chat button at the bottom right that opens the chat page
 * /chat/{tenant}/{entry} of the script's own origin in an iframe panel.
 * window.SwitchboardChat.open() / .close() / .toggle() drive it from the host page.
 *
 * The chat page and the widget speak by postMessage (src/chat/embed.ts), each naming the
 * other's exact origin as the target and checking event.origin on receipt: the widget passes
 * this page's origin as `host`. While the panel is closed the chat page reports the agent's
 * unread messages, shown on the button as a count and a preview of the newest.
 */
(function () {
  'use strict';
  // Once per page (a second copy of the tag is ignored while the first one is on the page).
  if (window.SwitchboardChat && document.getElementById('switchboard-chat-widget')) return;

  var script = document.currentScript;
  if (!script) {
    var all = document.querySelectorAll('script[src*="widget.js"][data-tenant]');
    script = all[all.length - 1];
  }
  if (!script) return;
  var attr = function (name) {
    var v = script.getAttribute('data-' + name);
    return v == null ? '' : String(v).trim();
  };
  var tenant = attr('tenant');
  var entry = attr('entry') || 'web';
  if (!tenant) {
    if (window.console) console.warn('[switchboard] widget.js needs data-tenant');
    return;
  }

  var origin = new URL(script.src, window.location.href).origin;
  var query = new URLSearchParams();
  query.set('embed', '1');
  if (attr('identity') && attr('ts') && attr('sig')) {
    query.set('identity', attr('identity'));
    query.set('ts', attr('ts'));
    query.set('sig', attr('sig'));
  }
  var lang = attr('lang');
  if (lang === 'en' || lang === 'zh-CN') query.set('lang', lang);
  // Where the chat page may post back to (an opaque origin, e.g. a file:// page, cannot be named).
  var hostOrigin = window.location.origin;
  if (/^https?:\/\//.test(hostOrigin)) query.set('host', hostOrigin);
  var chatUrl = origin + '/chat/' + encodeURIComponent(tenant) + '/' + encodeURIComponent(entry) + '?' + query.toString();

  var en = (lang || document.documentElement.lang || '').toLowerCase().indexOf('en') === 0;
  var text = en
    ? { open: 'Chat with us', close: 'Close chat', frame: 'Customer support chat', unread: function (n) { return n + ' new message' + (n === 1 ? '' : 's'); } }
    : { open: '在线客服', close: '关闭聊天窗口', frame: '在线客服聊天', unread: function (n) { return n + ' 条新消息'; } };

  var CHAT_ICON =
    '<svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 21l1.9-5.1A8 8 0 1 1 21 12z"/><path d="M8.5 12h.01M12 12h.01M15.5 12h.01" stroke-width="3"/></svg>';
  var DOWN_ICON =
    '<svg width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="m6 9 6 6 6-6"/></svg>';
  var CLOSE_ICON =
    '<svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" aria-hidden="true"><path d="M18 6 6 18M6 6l12 12"/></svg>';

  var css =
    ':host{all:initial}' +
    '.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;border-radius:50%;border:0;cursor:pointer;' +
    'background:linear-gradient(135deg,#1677ff,#3c8cff);color:#fff;display:flex;align-items:center;justify-content:center;' +
    'box-shadow:0 6px 20px rgba(22,119,255,.4);transition:transform .15s ease}' +
    '.launcher:hover{transform:scale(1.06)}' +
    '.launcher:focus-visible,.close:focus-visible{outline:3px solid #91caff;outline-offset:2px}' +
    '.panel{position:fixed;right:20px;bottom:88px;z-index:2147483000;width:380px;height:640px;max-height:calc(100vh - 108px);' +
    'border-radius:16px;overflow:hidden;background:#f5f7fb;box-shadow:0 12px 48px rgba(15,35,70,.25);' +
    'opacity:0;transform:translateY(12px);pointer-events:none;visibility:hidden;transition:opacity .18s ease,transform .18s ease,visibility 0s linear .18s}' +
    '.panel.open{opacity:1;transform:none;pointer-events:auto;visibility:visible;transition:opacity .18s ease,transform .18s ease}' +
    '.panel iframe{display:block;width:100%;height:100%;border:0;background:#f5f7fb}' +
    '.close{position:absolute;top:15px;right:12px;width:32px;height:32px;border-radius:50%;border:0;cursor:pointer;' +
    'background:rgba(255,255,255,.18);color:#fff;display:flex;align-items:center;justify-content:center}' +
    '.close:hover{background:rgba(255,255,255,.32)}' +
    '.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;box-sizing:border-box;border-radius:10px;' +
    'background:#ff4d4f;color:#fff;font:600 12px/20px system-ui,-apple-system,"Segoe UI",sans-serif;text-align:center;box-shadow:0 0 0 2px #fff}' +
    '.preview{position:fixed;right:88px;bottom:26px;z-index:2147483000;max-width:260px;padding:10px 14px;border-radius:14px 14px 4px 14px;' +
    'background:#fff;color:#1f2329;font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;' +
    'box-shadow:0 6px 24px rgba(15,35,70,.18);cursor:pointer;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;border:0;text-align:left}' +
    '.preview[hidden],.badge[hidden]{display:none}' +
    '@media (max-width:480px){.preview{max-width:calc(100vw - 110px)}' +
    '}' +
    '@media (max-width:480px){.panel{right:0;bottom:0;width:100%;height:100%;max-height:none;border-radius:0}' +
    '.launcher.hidden{display:none}}';

  var host = document.createElement('div');
  host.id = 'switchboard-chat-widget';
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  var style = document.createElement('style');
  style.textContent = css;
  root.appendChild(style);

  var launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'launcher';
  launcher.setAttribute('data-testid', 'sb-widget-launcher');
  launcher.setAttribute('aria-expanded', 'false');

  var panel = document.createElement('div');
  panel.className = 'panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', text.frame);
  panel.setAttribute('data-testid', 'sb-widget-panel');

  var close = document.createElement('button');
  close.type = 'button';
  close.className = 'close';
  close.innerHTML = CLOSE_ICON;
  close.setAttribute('aria-label', text.close);
  close.title = text.close;
  close.setAttribute('data-testid', 'sb-widget-close');

  var badge = document.createElement('span');
  badge.className = 'badge';
  badge.hidden = true;
  badge.setAttribute('data-testid', 'sb-widget-badge');

  var preview = document.createElement('button');
  preview.type = 'button';
  preview.className = 'preview';
  preview.hidden = true;
  preview.setAttribute('data-testid', 'sb-widget-preview');

  var frame = null;
  var frameReady = false;
  var isOpen = false;
  var unread = { count: 0, preview: '' };

  function render() {
    launcher.innerHTML = isOpen ? DOWN_ICON : CHAT_ICON;
    var showUnread = !isOpen && unread.count > 0;
    badge.hidden = !showUnread;
    badge.textContent = unread.count > 99 ? '99+' : String(unread.count);
    if (showUnread) launcher.appendChild(badge);
    preview.hidden = !showUnread || !unread.preview;
    preview.textContent = unread.preview;
    var label = isOpen ? text.close : showUnread ? text.open + ' (' + text.unread(unread.count) + ')' : text.open;
    launcher.setAttribute('aria-label', label);
    launcher.title = label;
    launcher.setAttribute('aria-expanded', isOpen ? 'true' : 'false');
    launcher.className = 'launcher' + (isOpen ? ' hidden' : '');
    panel.className = 'panel' + (isOpen ? ' open' : '');
    panel.setAttribute('aria-hidden', isOpen ? 'false' : 'true');
  }

  // Tell the chat page whether it can be seen (it sends read receipts only then). Only once it
  // said it is ready: before, the iframe still holds about:blank, of this page's origin.
  function tellFrame() {
    if (frame && frameReady && frame.contentWindow) {
      frame.contentWindow.postMessage({ type: 'switchboard:panel', open: isOpen }, origin);
    }
  }

  window.addEventListener('message', function (e) {
    if (!frame || e.origin !== origin || e.source !== frame.contentWindow) return;
    var data = e.data;
    if (!data || typeof data !== 'object') return;
    if (data.type === 'switchboard:ready') {
      frameReady = true;
      tellFrame();
    } else if (data.type === 'switchboard:unread' && typeof data.count === 'number' && data.count >= 0) {
      unread = { count: Math.floor(data.count), preview: typeof data.preview === 'string' ? data.preview.slice(0, 80) : '' };
      render();
    }
  });

  function open() {
    if (!frame) {
      // Created on first open: the chat (and its connection) loads only when wanted, then
      // stays connected while the panel is closed so no message is missed.
      frame = document.createElement('iframe');
      frame.src = chatUrl;
      frame.title = text.frame;
      frame.setAttribute('data-testid', 'sb-widget-frame');
      frame.setAttribute('allow', 'clipboard-write');
      panel.insertBefore(frame, close);
    }
    isOpen = true;
    unread = { count: 0, preview: '' };
    render();
    tellFrame();
    try {
      frame.focus();
    } catch {
      /* ignore */
    }
  }

  function hide() {
    isOpen = false;
    render();
    tellFrame();
    launcher.focus();
  }

  launcher.addEventListener('click', function () {
    if (isOpen) hide();
    else open();
  });
  close.addEventListener('click', hide);
  preview.addEventListener('click', open);
  document.addEventListener('keydown', function (e) {
    if (isOpen && (e.key === 'Escape' || e.key === 'Esc')) hide();
  });

  panel.appendChild(close);
  root.appendChild(panel);
  root.appendChild(preview);
  root.appendChild(launcher);
  render();

  function mount() {
    document.body.appendChild(host);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  window.SwitchboardChat = {
    open: open,
    close: hide,
    toggle: function () {
      if (isOpen) hide();
      else open();
    },
  };
})();
