/** Discord's epoch (2015-01-01); snowflakes carry their creation time, which discord.js reads back. */
const DISCORD_EPOCH = 1_420_070_400_000n;

let sequence = 0n;

/** A fresh, time-ordered id shaped like Discord's, so `createdTimestamp` means what it does live. */
export function snowflake(at: number = Date.now()): string {
  sequence = (sequence + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | sequence).toString();
}
