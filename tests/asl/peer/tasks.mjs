// The fixed task table of the ASL differential corpus (see ../TASKS.md).
//
// Each task is a pure function of its input (Sleep only adds a delay).
// A failing task throws a TaskError whose name is the ASL error name and
// whose message is the ASL cause string.

export class TaskError extends Error {
  constructor(name, cause) {
    super(cause);
    this.name = name;
  }
}

const kLambdaArnPrefix = 'arn:aws:lambda:us-east-1:123456789012:function:';

// Maps a Task state's Resource to a task name, or returns null.
export function taskNameOf(resource) {
  if (typeof resource !== 'string') return null;
  let name = resource;
  if (name.startsWith(kLambdaArnPrefix)) {
    name = name.slice(kLambdaArnPrefix.length);
  }
  return Object.hasOwn(kTasks, name) ? name : null;
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isNumber(v) {
  return typeof v === 'number' && Number.isFinite(v);
}

function invalid(task, what) {
  return new TaskError('InvalidInput', `${task}: ${what}`);
}

const kTasks = {
  Echo(input) {
    return input;
  },
  Add(input) {
    if (!isObject(input) || !isNumber(input.a) || !isNumber(input.b)) {
      throw invalid('Add', 'expects {"a": number, "b": number}');
    }
    return input.a + input.b;
  },
  Double(input) {
    if (isNumber(input)) return 2 * input;
    if (isObject(input) && isNumber(input.value)) {
      return {value: 2 * input.value};
    }
    throw invalid('Double', 'expects a number or {"value": number}');
  },
  Concat(input) {
    if (!isObject(input) || !Array.isArray(input.strings) ||
        !input.strings.every((s) => typeof s === 'string')) {
      throw invalid('Concat', 'expects {"strings": [string...]}');
    }
    const sep = input.sep === undefined ? '' : input.sep;
    if (typeof sep !== 'string') {
      throw invalid('Concat', '"sep" must be a string');
    }
    return input.strings.join(sep);
  },
  Fail(input) {
    const obj = isObject(input) ? input : {};
    const name = typeof obj.error === 'string' ? obj.error : 'CustomError';
    const cause =
        typeof obj.cause === 'string' ? obj.cause : 'failed on purpose';
    throw new TaskError(name, cause);
  },
  FailUntil(input) {
    if (!isObject(input) || !Number.isInteger(input.attempt) ||
        !Number.isInteger(input.succeedAt)) {
      throw invalid(
          'FailUntil', 'expects {"attempt": integer, "succeedAt": integer}');
    }
    if (input.attempt < input.succeedAt) {
      throw new TaskError('Transient', `attempt ${input.attempt}`);
    }
    return {succeededOnAttempt: input.attempt};
  },
  async Sleep(input) {
    if (!isObject(input) || !Number.isInteger(input.ms) || input.ms < 0 ||
        input.ms > 2500) {
      throw invalid('Sleep', 'expects {"ms": integer 0..2500}');
    }
    await new Promise((resolve) => setTimeout(resolve, input.ms));
    return input;
  },
};

// Runs task `name` on `input`; returns its result or throws a TaskError.
export async function runTask(name, input) {
  return kTasks[name](input);
}
