// A customer's call for the browser tests: sipp dials the demo hotline 4000 through the trunk,
// presses 1 in the IVR menu (SIP INFO) and waits in the pre-sales queue, optionally playing
// the G.711 audio sipp ships, until the server hangs up or it hangs up itself. A hotline routed
// straight to a queue is dialled with `number` and no key (`press: null`). With `rate`, the
// customer keys that satisfaction score `rateAfterMs` after the call was answered (sipp cannot
// hear when the agent has left, so the test releases well within that time).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** sipp's recorded speech (PCMA, 8 kHz), which the customer plays once answered. */
export const CUSTOMER_AUDIO = '/usr/share/sip-tester/g711a.pcap';

/**
 * The scenario: `caller` calls `number`, presses `press` after the greeting starts (none when
 * null), then (with `audio`) plays CUSTOMER_AUDIO and waits until we hang up or, with
 * `hangUpAfterMs`, hangs up that long after pressing the key (after the answer without one).
 */
function scenario({ caller, number, press, hangUpAfterMs, audio, rate, rateAfterMs }) {
  const head = (method, cseq, uri, to) =>
    `${method} ${uri} SIP/2.0\nVia: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n` +
    `From: <sip:${caller}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]\nTo: ${to}\nCall-ID: [call_id]\n` +
    `CSeq: ${cseq} ${method}\nContact: <sip:${caller}@[local_ip]:[local_port]>\nMax-Forwards: 70\n`;
  const codec = audio ? '8' : '0';
  const sdp = `Content-Type: application/sdp\nContent-Length: [len]\n\nv=0\no=c 1 1 IN IP4 [local_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\nm=audio [media_port] RTP/AVP ${codec}\n`;
  const dtmf = (key) => `Content-Type: application/dtmf-relay\nContent-Length: [len]\n\nSignal=${key}\nDuration=160\n`;
  const to = `<sip:${number}@[remote_ip]:[remote_port]>`;
  const play = audio ? `<nop><action><exec play_pcap_audio="${CUSTOMER_AUDIO}"/></action></nop>\n` : '';
  const menuKey = `<pause milliseconds="2500"/>
<send retrans="500"><![CDATA[
${head('INFO', 2, '[next_url]', `${to}[peer_tag_param]`)}${dtmf(press)}
]]></send>
<recv response="200"/>`;
  const rateKey = `<pause milliseconds="${rateAfterMs}"/>
<send retrans="500"><![CDATA[
${head('INFO', 4, '[next_url]', `${to}[peer_tag_param]`)}${dtmf(rate)}
]]></send>
<recv response="200"/>`;
  const waitForBye = `<recv request="BYE" timeout="120000"/>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>`;
  const hangUp = (ms) => `<pause milliseconds="${ms}"/>
<send retrans="500"><![CDATA[
${head('BYE', 3, '[next_url]', `${to}[peer_tag_param]`)}Content-Length: 0

]]></send>
<recv response="200"/>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="hotline caller">
<send retrans="500"><![CDATA[
${head('INVITE', 1, `sip:${number}@[remote_ip]:[remote_port]`, to)}${sdp}
]]></send>
<recv response="100" optional="true"/>
<recv response="180" optional="true"/>
<recv response="183" optional="true"/>
<recv response="200" rrs="true"/>
<send><![CDATA[
${head('ACK', 1, '[next_url]', `${to}[peer_tag_param]`)}Content-Length: 0

]]></send>
${press === null ? '' : menuKey}
${rate ? rateKey : ''}
${hangUpAfterMs ? hangUp(hangUpAfterMs) : `${play}${waitForBye}`}
</scenario>`;
}

/**
 * Starts sipp as `caller` against the server's SIP address. `done` resolves with sipp's exit
 * code when the scenario ends; `stop()` kills it and removes its folder.
 */
export function callHotline(sip, { caller, number = '4000', press = '1', hangUpAfterMs, audio = false, rate = null, rateAfterMs = 12_000 }) {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-sipp-'));
  writeFileSync(join(dir, 'caller.xml'), scenario({ caller, number, press, hangUpAfterMs, audio, rate, rateAfterMs }));
  const args = [sip, '-sf', 'caller.xml', '-i', '127.0.0.1', '-m', '1', '-l', '1', '-nostdin', '-trace_err'];
  const child = spawn('sipp', args, { cwd: dir, stdio: 'ignore' });
  const done = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    done,
    stop() {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Where the server's SIP listens, from its "sip on udp and tcp ADDR" line. */
export async function sipAddress(server) {
  for (let i = 0; i < 100; i++) {
    const line = server.log.find((l) => l.startsWith('sip on udp and tcp '));
    if (line) return line.slice('sip on udp and tcp '.length).trim();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the server did not say where SIP listens:\n${server.log.join('\n')}`);
}
