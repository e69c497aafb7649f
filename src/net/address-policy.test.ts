import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressProblem, literalHostProblem } from './address-policy.ts';

test('public addresses pass, IPv4 and IPv6 alike', () => {
  for (const address of ['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '2a00:1450:4001:82a::200e'])
    assert.equal(addressProblem(address), null, address);
});

test('every private, loopback, link-local and reserved IPv4 range is refused', () => {
  for (const address of [
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '192.0.2.1',
    '198.18.0.1',
    '240.0.0.1',
  ])
    assert.match(addressProblem(address) ?? '', /not a public address/, address);
});

test('every IPv6 form is classified, including the ones that embed an IPv4 address', () => {
  const refused = [
    '::1', // loopback
    '::', // unspecified
    '::ffff:127.0.0.1', // IPv4-mapped, dotted
    '::ffff:7f00:1', // IPv4-mapped, as the URL parser writes it
    '0:0:0:0:0:ffff:7f00:1',
    '::ffff:a9fe:a9fe', // mapped 169.254.169.254
    '::ffff:0:7f00:1', // RFC 6145 translated
    '::127.0.0.1', // IPv4-compatible (deprecated)
    '::7f00:1',
    '::8.8.8.8', // compatible forms are never routed, whatever they embed
    '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
    '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
    '64:ff9b:1::808:808', // local-use NAT64 prefix
    '2002:7f00:1::1', // 6to4 of 127.0.0.1
    '2002:c0a8:101::1', // 6to4 of 192.168.1.1
    '2001:0:4136:e378:8000:63bf:80ff:fffe', // Teredo with client 127.0.0.1
    'fe80::1', // link-local
    'febf::1',
    'fc00::1', // unique-local
    'fd12:3456:789a::1',
    'fec0::1', // deprecated site-local
    'ff02::1', // multicast
    '2001:db8::1', // documentation
    '100::1', // discard
  ];
  for (const address of refused) assert.match(addressProblem(address) ?? '', /not a public address/, address);
  for (const address of ['64:ff9b::808:808', '2002:808:808::1', '::ffff:8.8.8.8'])
    assert.equal(addressProblem(address), null, `${address} embeds a public IPv4 address`);
});

test('URL hosts: literal addresses are judged as the URL parser writes them; names are left to the lookup', () => {
  assert.match(literalHostProblem('http://[::ffff:127.0.0.1]:9999/a.png') ?? '', /::ffff:7f00:1/);
  assert.match(literalHostProblem('http://[0:0:0:0:0:ffff:7f00:1]/a.png') ?? '', /not a public/);
  assert.match(literalHostProblem('http://0x7f.1/a.png') ?? '', /127\.0\.0\.1/);
  assert.match(literalHostProblem('http://2130706433/a.png') ?? '', /127\.0\.0\.1/);
  assert.match(literalHostProblem('http://[fe80::1]/a.png') ?? '', /not a public/);
  assert.match(literalHostProblem('http://localhost:8080/') ?? '', /not a public/);
  assert.match(literalHostProblem('http://api.localhost/') ?? '', /not a public/);
  assert.equal(literalHostProblem('https://cdn.example.com/a.png'), null);
  assert.equal(literalHostProblem('https://8.8.8.8/a.png'), null);
});
