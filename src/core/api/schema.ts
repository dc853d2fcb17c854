import { z } from 'zod';

/** Every answer, success or error, is wrapped in this envelope; `code` 200 is the only success. */
export const envelopeSchema = z.looseObject({
  code: z.number(),
  msg: z.string().nullish(),
  data: z.unknown().optional(),
});

/**
 * A 429's `data`: `{"retryAfter":17,"limit":180,"tier":"basic","windowSeconds":60}`. Each field
 * is read on its own, so one odd field does not hide the others.
 */
export const rateLimitDataSchema = z.looseObject({
  retryAfter: z.coerce.number().nonnegative().optional().catch(undefined),
  limit: z.coerce.number().positive().optional().catch(undefined),
  tier: z.string().optional().catch(undefined),
  windowSeconds: z.coerce.number().positive().optional().catch(undefined),
});

export const createTaskDataSchema = z.looseObject({ taskId: z.string().min(1) });

const jsonString = <T extends z.ZodType>(inner: T) =>
  z.string().transform((text, ctx): z.output<T> => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
      return z.NEVER;
    }
    const parsed = inner.safeParse(value);
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        message: parsed.error.issues.map((issue) => issue.message).join('; '),
      });
      return z.NEVER;
    }
    return parsed.data;
  });

export const resultSchema = z.looseObject({
  resultUrls: z
    .array(z.url({ protocol: /^https?$/ }))
    .min(1, 'a successful task has no result URLs'),
});

export const taskRecordSchema = z.looseObject({
  taskId: z.string().min(1),
  model: z.string().nullish(),
  // The docs list waiting/success/fail; any other state is treated as still running so a new
  // intermediate state on the API's side cannot fail jobs that are in fact progressing.
  state: z.string().min(1),
  // The original request echoed back; only informative, so a value that is not JSON is dropped.
  param: z
    .string()
    .nullish()
    .transform((text) => {
      if (!text) return null;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return null;
      }
    }),
  resultJson: jsonString(resultSchema).nullish(),
  failCode: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((code) => (code === null || code === undefined ? null : String(code))),
  failMsg: z.string().nullish(),
  costTime: z.number().nullish(),
  completeTime: z.number().nullish(),
  createTime: z.number().nullish(),
});

export type TaskRecordPayload = z.output<typeof taskRecordSchema>;
