import { describe, expect, it } from 'vitest';
import { trunkBody } from './trunk';
import { peersProblem } from './rules';

const base = { name: ' 电信 ', peers: ['192.0.2.10'], enabled: true, registers: false, domain: '', port: 5060, username: '', password: '', expires_s: 600, proxied: false, proxy_host: '', proxy_port: 5060 };

describe('the trunk form', () => {
  it('sends no registration for a trunk that does not register', () => {
    expect(trunkBody(base)).toEqual({ name: '电信', peers: ['192.0.2.10'], enabled: true, registration: null, outbound_proxy: null });
  });

  it('sends the outbound proxy only when the trunk calls out through one', () => {
    const v = { ...base, proxied: true, proxy_host: ' sip.carrier.example ', proxy_port: null };
    expect(trunkBody(v).outbound_proxy).toEqual({ host: 'sip.carrier.example', port: 5060 });
    expect(trunkBody({ ...v, proxied: false }).outbound_proxy).toBeNull();
  });

  it('sends the account, and the password only when typed', () => {
    const v = { ...base, peers: [], registers: true, domain: ' sip.carrier.example ', username: '8610', password: 's3cret', port: null };
    expect(trunkBody(v).registration).toEqual({ domain: 'sip.carrier.example', port: 5060, username: '8610', password: 's3cret', expires_s: 600 });
    expect(trunkBody({ ...v, password: '' }).registration).not.toHaveProperty('password');
  });

  it('needs peers only when the trunk does not register', () => {
    expect(peersProblem('', false)).toBe('empty');
    expect(peersProblem('', true)).toBeNull();
  });
});
