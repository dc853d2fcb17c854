import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../src/core/fetch/address.js';
import { sniffImageType } from '../src/core/fetch/image-type.js';
import { TrustedHosts } from '../src/core/fetch/trusted-hosts.js';

describe('classifyAddress: only public addresses may be fetched from an untrusted host', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.255.255.255', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['100.64.0.0', 'shared'],
    ['100.127.255.255', 'shared'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
  ])('IPv4 %s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
    '169.255.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.167.255.255',
    '192.169.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
  ])('IPv4 %s, just outside every special range, is public', (address) => {
    expect(classifyAddress(address)).toBe('public');
  });

  it.each([
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['[::1]', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['fec0::1', 'reserved'],
    ['100::1', 'reserved'],
    ['64:ff9b:1::1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
  ])('IPv6 %s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each(['2606:4700:4700::1111', '2001:4860:4860::8888', '2a00:1450:4001:82b::200e'])(
    'IPv6 %s is public',
    (address) => {
      expect(classifyAddress(address)).toBe('public');
    },
  );

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:192.168.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:c0a8:101::', 'private'],
  ])('an IPv6 form carrying IPv4, %s, is judged by that address: %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each(['::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    'an IPv6 form carrying a public IPv4, %s, is public',
    (address) => {
      expect(classifyAddress(address)).toBe('public');
    },
  );

  it.each(['localhost', 'example.com', '', '1.2.3', '::ffff:1.2.3.256'])(
    '%j is not an address (a name is judged when it resolves)',
    (text) => {
      expect(classifyAddress(text)).toBe('not-an-address');
    },
  );
});

describe('TrustedHosts: the API origin and FETCH_ALLOW_HOSTS', () => {
  const url = (text: string) => new URL(text);

  it('trusts the API origin by host and port only', () => {
    const trusted = new TrustedHosts([TrustedHosts.originOf('http://127.0.0.1:8787')!]);
    expect(trusted.trusts(url('http://127.0.0.1:8787/cdn/1.png'))).toBe(true);
    expect(trusted.trusts(url('http://127.0.0.1:3000/metrics'))).toBe(false);
    const https = new TrustedHosts([TrustedHosts.originOf('https://aigptimage.com')!]);
    expect(https.trusts(url('https://aigptimage.com/a.png'))).toBe(true);
    expect(https.trusts(url('https://aigptimage.com:8443/a.png'))).toBe(false);
  });

  it('takes host (any port), host:port and *.domain (subdomains only) entries', () => {
    const trusted = new TrustedHosts(['cdn.internal', 'LOCALHOST:9000', '*.example.com']);
    expect(trusted.trusts(url('http://cdn.internal:1234/a.png'))).toBe(true);
    expect(trusted.trusts(url('http://cdn.internal./a.png'))).toBe(true);
    expect(trusted.trusts(url('http://localhost:9000/a.png'))).toBe(true);
    expect(trusted.trusts(url('http://localhost:9001/a.png'))).toBe(false);
    expect(trusted.trusts(url('https://img.example.com/a.png'))).toBe(true);
    expect(trusted.trusts(url('https://a.b.example.com/a.png'))).toBe(true);
    expect(trusted.trusts(url('https://example.com/a.png'))).toBe(false);
    expect(trusted.trusts(url('https://evilexample.com/a.png'))).toBe(false);
    expect(trusted.trusts(url('https://example.com.evil.net/a.png'))).toBe(false);
  });

  it('ignores entries that are not hosts, and trusts nothing by default', () => {
    const trusted = new TrustedHosts(['http://x/', 'a/b', '']);
    expect(trusted.trusts(url('http://x/a.png'))).toBe(false);
    expect(new TrustedHosts().trusts(url('http://127.0.0.1/'))).toBe(false);
  });
});

describe('sniffImageType: what a file is, from its first bytes', () => {
  const bytes = (hex: string, text = '') =>
    Buffer.concat([Buffer.from(hex, 'hex'), Buffer.from(text, 'latin1')]);

  it('recognises PNG, JPEG, WEBP and GIF', () => {
    expect(sniffImageType(bytes('89504e470d0a1a0a0000'))?.extension).toBe('png');
    expect(sniffImageType(bytes('ffd8ffe000104a464946'))?.extension).toBe('jpg');
    expect(sniffImageType(bytes('', 'RIFF\x10\x00\x00\x00WEBPVP8 '))?.extension).toBe('webp');
    expect(sniffImageType(bytes('', 'GIF89a\x01\x00'))?.extension).toBe('gif');
    expect(sniffImageType(bytes('', 'GIF87a\x01\x00'))?.contentType).toBe('image/gif');
  });

  it('refuses anything else, however it starts', () => {
    expect(sniffImageType(bytes('', '<!doctype html><html>'))).toBeUndefined();
    expect(sniffImageType(bytes('', '# HELP process_cpu'))).toBeUndefined();
    expect(sniffImageType(bytes('', 'RIFF\x10\x00\x00\x00WAVEfmt '))).toBeUndefined();
    expect(sniffImageType(bytes('89504e47'))).toBeUndefined();
    expect(sniffImageType(bytes(''))).toBeUndefined();
  });
});
