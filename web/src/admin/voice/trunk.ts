// The trunk form's values into the body the API takes: a registration only when the trunk
// registers, its password only when one was typed (left empty, the stored one is kept); an
// outbound proxy only when the trunk calls out through one.
import type { TrunkInput } from '../../api/types';

export interface TrunkValues {
  name: string;
  peers: string[];
  enabled: boolean;
  registers: boolean;
  domain: string;
  port: number | null;
  username: string;
  password: string;
  expires_s: number | null;
  proxied: boolean;
  proxy_host: string;
  proxy_port: number | null;
}

export function trunkBody(v: TrunkValues): TrunkInput {
  const registration = v.registers
    ? {
        domain: v.domain.trim(),
        port: v.port ?? 5060,
        username: v.username.trim(),
        ...(v.password ? { password: v.password } : {}),
        expires_s: v.expires_s ?? 600,
      }
    : null;
  const outbound_proxy = v.proxied ? { host: v.proxy_host.trim(), port: v.proxy_port ?? 5060 } : null;
  return { name: v.name.trim(), peers: v.peers, enabled: !!v.enabled, registration, outbound_proxy };
}
