interface HostRule {
  /** Lower-case host name or bracketed IPv6, without a trailing dot. */
  host: string;
  /** `*.example.com`: any subdomain of `host`, not `host` itself. */
  subdomains: boolean;
  /** Only this port; undefined: any port. */
  port?: number;
}

/**
 * Hosts the operator vouched for, which may be fetched even though they resolve to a private or
 * loopback address: the image API's own origin and FETCH_ALLOW_HOSTS. Entries are `host`,
 * `host:port` or `*.example.com`.
 */
export class TrustedHosts {
  private readonly rules: HostRule[];

  constructor(entries: readonly string[] = []) {
    this.rules = entries.flatMap((entry) => {
      const rule = parseRule(entry);
      return rule ? [rule] : [];
    });
  }

  /** The origin of a URL the operator configured (e.g. AIGPTIMAGE_BASE_URL): that host and port. */
  static originOf(url: string): string | undefined {
    try {
      const parsed = new URL(url);
      return `${parsed.hostname}:${effectivePort(parsed)}`;
    } catch {
      return undefined;
    }
  }

  trusts(url: URL): boolean {
    const host = normalHost(url.hostname);
    const port = effectivePort(url);
    return this.rules.some(
      (rule) =>
        (rule.port === undefined || rule.port === port) &&
        (rule.subdomains ? host.endsWith(`.${rule.host}`) : host === rule.host),
    );
  }
}

function parseRule(entry: string): HostRule | undefined {
  const text = entry.trim().toLowerCase();
  const subdomains = text.startsWith('*.');
  try {
    const parsed = new URL(`http://${subdomains ? text.slice(2) : text}`);
    if (parsed.pathname !== '/' || parsed.username || parsed.search) return undefined;
    return {
      host: normalHost(parsed.hostname),
      subdomains,
      ...(parsed.port ? { port: Number(parsed.port) } : hasPort(text) ? { port: 80 } : {}),
    };
  } catch {
    return undefined;
  }
}

/** `host:80` parses to an empty port (the default for http); it still means port 80 only. */
function hasPort(text: string): boolean {
  return /:\d+$/.test(text);
}

function normalHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}

function effectivePort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}
