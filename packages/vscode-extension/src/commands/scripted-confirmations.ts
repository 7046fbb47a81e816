import type { AskWrite } from './confirm-write.js';

/**
 * Answers write confirmations from a queue, for the integration tests only (activate() installs
 * it when VS Code runs the extension in `ExtensionMode.Test`). VS Code refuses to show modal
 * dialogs while it runs extension tests ("DialogService: refused to show dialog in tests"), so the
 * tests answer the question here, the way they answer quick picks through command arguments.
 * With nothing queued it asks the real way.
 */
export class ScriptedConfirmations {
  private readonly answers: boolean[] = [];
  private readonly questions: string[] = [];

  constructor(private readonly fallback: AskWrite) {}

  readonly ask: AskWrite = async (message, confirmLabel) => {
    this.questions.push(message);
    const answer = this.answers.shift();
    return answer ?? this.fallback(message, confirmLabel);
  };

  /** The next confirmation is answered `yes` (true) or `no` (false). */
  answerNext(yes: boolean): void {
    this.answers.push(yes);
  }

  /** Every question asked so far, oldest first. */
  asked(): readonly string[] {
    return [...this.questions];
  }
}
