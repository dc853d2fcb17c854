import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { classifyAddress, type AddressKind } from './address.js';

/** A host name resolved to an address the bot must not connect to on someone else's word. */
export class ForbiddenAddressError extends Error {
  readonly code = 'EFORBIDDENADDRESS';

  constructor(
    readonly host: string,
    readonly kind: AddressKind,
  ) {
    super(`${host} resolves to a ${kind} address`);
    this.name = 'ForbiddenAddressError';
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for net/tls.connect that refuses the connection when any address of the name is not
 * public. It runs at connect time, on the address actually dialled, so a name that answers
 * differently the second time (DNS rebinding) is caught where it matters.
 */
export function guardedLookup(
  hostname: string,
  options: LookupOptions,
  callback: LookupCallback,
): void {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find(({ address }) => classifyAddress(address) !== 'public');
    if (refused || addresses.length === 0) {
      const kind = refused ? classifyAddress(refused.address) : 'not-an-address';
      return callback(new ForbiddenAddressError(hostname, kind), []);
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}
