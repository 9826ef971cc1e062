import { describe, expect, it } from 'vitest';
import { isDirectUri, isExtensionNumber, isHotlineNumber, isIpAddress, isSipPassword, peersProblem, routeFields, routeOf, splitPeers } from './rules';

describe('voice input rules', () => {
  it('extensions are 2–10 digits, hotlines 2–20 digits after an optional +', () => {
    expect(isExtensionNumber('1001')).toBe(true);
    expect(isExtensionNumber('1')).toBe(false);
    expect(isExtensionNumber('+1001')).toBe(false);
    expect(isExtensionNumber('10011001100')).toBe(false);
    expect(isHotlineNumber('4000')).toBe(true);
    expect(isHotlineNumber('+8610888800000')).toBe(true);
    expect(isHotlineNumber('+')).toBe(false);
    expect(isHotlineNumber('40-00')).toBe(false);
  });

  it('SIP passwords are 8–64 printable ASCII without spaces', () => {
    expect(isSipPassword('switchboard')).toBe(true);
    expect(isSipPassword('short')).toBe(false);
    expect(isSipPassword('has a space')).toBe(false);
    expect(isSipPassword('密码密码密码密码')).toBe(false);
    expect(isSipPassword('x'.repeat(65))).toBe(false);
  });

  it('peers are 1–16 distinct IP addresses', () => {
    expect(isIpAddress('127.0.0.1')).toBe(true);
    expect(isIpAddress('2001:db8::7')).toBe(true);
    expect(isIpAddress('256.1.1.1')).toBe(false);
    expect(isIpAddress('pbx.example.com')).toBe(false);
    expect(isIpAddress('::')).toBe(true);
    expect(splitPeers('192.0.2.1, 192.0.2.2\n2001:db8::1')).toEqual(['192.0.2.1', '192.0.2.2', '2001:db8::1']);
    expect(peersProblem('192.0.2.1 192.0.2.2')).toBeNull();
    expect(peersProblem('  ')).toBe('empty');
    expect(peersProblem(Array.from({ length: 17 }, (_, i) => `192.0.2.${i}`).join(','))).toBe('tooMany');
    expect(peersProblem('192.0.2.1, example.com')).toEqual({ bad: 'example.com' });
    expect(peersProblem('192.0.2.1, 192.0.2.1')).toEqual({ twice: '192.0.2.1' });
  });

  it('direct routes name a user at an address', () => {
    expect(isDirectUri('sip:4000@192.0.2.10:5060')).toBe(true);
    expect(isDirectUri('sip:4000@192.0.2.10')).toBe(true);
    expect(isDirectUri('sip:4000@[2001:db8::1]:5060')).toBe(true);
    expect(isDirectUri('sip:4000@pbx.example.com')).toBe(false);
    expect(isDirectUri('sip:192.0.2.10')).toBe(false);
    expect(isDirectUri('sip:4000@192.0.2.10:70000')).toBe(false);
    expect(isDirectUri('tel:+864000')).toBe(false);
  });

  it('routes go to and from the form', () => {
    const base = { number: '4000', inbound: true, survey: false, outbound: false };
    expect(routeOf({ ...base, kind: 'queue', queue_id: 'q1', uri: 'sip:x@1.2.3.4' })).toEqual({ kind: 'queue', queue_id: 'q1' });
    expect(routeOf({ ...base, kind: 'direct', uri: ' sip:1@192.0.2.1 ' })).toEqual({ kind: 'direct', uri: 'sip:1@192.0.2.1' });
    expect(routeOf({ ...base, kind: 'extension', extension: '1001' })).toEqual({ kind: 'extension', number: '1001' });
    expect(routeFields({ kind: 'extension', number: '1001' })).toEqual({ kind: 'extension', extension: '1001' });
    expect(routeFields({ kind: 'queue', queue_id: 'q1' })).toEqual({ kind: 'queue', queue_id: 'q1' });
    // A flow route is kept as it was.
    const flow = { kind: 'flow', flow_id: 'f1' } as const;
    expect(routeOf({ ...base, ...routeFields(flow) })).toEqual(flow);
  });
});
