// An agent's desk phone for the browser tests: baresip registered as a demo extension, answering
// by itself and playing a steady tone, driven by nothing but the server (the line, the calls).
// A phone started with `answer: 'manual'` rings until the test picks it up (`command('accept')`
// through baresip's ctrl_tcp), so that a ringing state can be seen before the answer.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether `port` on loopback is free for TCP and for UDP (baresip listens on both). */
async function bindable(port) {
  const tcp = await new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
  if (!tcp) return false;
  return new Promise((resolve) => {
    const udp = createSocket('udp4');
    udp.once('error', () => resolve(false));
    udp.bind(port, '127.0.0.1', () => udp.close(() => resolve(true)));
  });
}

// Phones' SIP and control ports come from 10,000-14,999 and their RTP from 15,000-19,999: below
// Linux's ephemeral range (32,768 up), so no outgoing socket of the server, Chromium or node
// takes a port between the check and baresip's bind (a port 0 bind hands out exactly those),
// and below the server's RTP ports (20,000 up). Each run starts at a place of its own.
let nextPort = 10_000 + (process.pid % 250) * 20;
let nextRtp = 15_000 + (process.pid % 250) * 20;

/** A free port for a phone's SIP or control socket, ten from the last (baresip may bind next to its own). */
async function freePort() {
  for (let tries = 0; tries < 500; tries++) {
    const port = nextPort;
    nextPort = port + 10 < 15_000 ? port + 10 : 10_000 + ((port + 1) % 10);
    if (await bindable(port)) return port;
  }
  throw new Error('no free port in 10000-14999');
}

/** A block of 20 RTP ports for a phone. */
function rtpBlock() {
  const first = nextRtp;
  nextRtp = first + 20 < 20_000 ? first + 20 : 15_000;
  return first;
}

/** `seconds` of a sine at `hz`, 8 kHz 16-bit mono WAV. */
function toneWav(hz, seconds) {
  const rate = 8000;
  const n = rate * seconds;
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) buf.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)), 44 + i * 2);
  return buf;
}

/**
 * Sends one command to baresip's ctrl_tcp (a netstring of `{command, params, token}`) and
 * resolves with its response; retried while baresip is still starting to listen.
 */
async function ctrlCommand(port, command, params = '') {
  const body = JSON.stringify({ command, params, token: String(Date.now()) });
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        let buf = '';
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new Error(`baresip did not answer '${command}'`));
        }, 5_000);
        socket.on('connect', () => socket.write(`${Buffer.byteLength(body)}:${body},`));
        socket.on('data', (d) => {
          buf += d.toString();
          // Events are netstrings too: wait for the one that is the response.
          for (let m; (m = /^(\d+):/.exec(buf)); ) {
            const len = Number(m[1]);
            const start = m[0].length;
            if (buf.length < start + len + 1) return;
            const msg = JSON.parse(buf.slice(start, start + len));
            buf = buf.slice(start + len + 1);
            if (msg.response) {
              clearTimeout(timer);
              socket.end();
              return resolve(msg);
            }
          }
        });
        socket.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
      });
    } catch (e) {
      if (attempt >= 20 || e.code !== 'ECONNREFUSED') throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Starts baresip registered as `extension` (SIP password `password`) at the server's SIP
 * address, answering every call by itself (or, with `answer: 'manual'`, when told to) and
 * sending a `toneHz` tone.
 */
export async function startPhone(sip, { extension, password, toneHz = 1000, answer = 'auto' }) {
  return spawnBaresip(
    () => `<sip:${extension}@demo>;auth_user=${extension};auth_pass=${password};outbound="sip:${sip}";regint=600;answermode=${answer}\n`,
    toneHz,
  );
}

/**
 * A customer's phone behind a carrier (outbound calls): baresip registered nowhere, taking
 * calls for `number` at its own SIP port (`sipPort`, the trunk's outbound proxy in a test)
 * and answering each by itself with a `toneHz` tone.
 */
export async function startCallee(number, { toneHz = 2000 } = {}) {
  return spawnBaresip(() => `<sip:${number}@127.0.0.1>;regint=0;answermode=auto\n`, toneHz);
}

async function spawnBaresip(account, toneHz) {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-baresip-'));
  const [sipPort, ctrlPort] = [await freePort(), await freePort()];
  const rtp = rtpBlock();
  writeFileSync(join(dir, 'tone.wav'), toneWav(toneHz, 120));
  writeFileSync(
    join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${sipPort}`,
      'audio_player aubridge,nowhere',
      'audio_alert aubridge,nowhere',
      `audio_source aufile,${join(dir, 'tone.wav')}`,
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module aufile.so',
      'module aubridge.so',
      'module_app account.so',
      'module_app menu.so',
      'module_app ctrl_tcp.so',
      `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
      `rtp_ports ${rtp}-${rtp + 19}`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'accounts'), account(sipPort));
  const child = spawn('baresip', ['-f', dir], { stdio: 'ignore' });
  return {
    /** Where it takes SIP (UDP and TCP on 127.0.0.1). */
    sipPort,
    /** A ctrl_tcp command, e.g. `accept` (answer the ringing call) or `hangup`. */
    command: (command, params) => ctrlCommand(ctrlPort, command, params),
    stop() {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
