import * as vscode from 'vscode';
import { completionPlace, parseConversationFile, stepKeys, stepOptionKeys, topLevelKeys, type SchemaKey } from '../model/conversation-steps.js';
import { ConversationTests } from '../testing/conversation-tests.js';

const SOURCE = 'baton';
/** Re-check an edited document once typing pauses, not on every keystroke. */
const DEBOUNCE_MS = 300;

function isConversationFile(document: vscode.TextDocument): boolean {
  return vscode.languages.match({ pattern: ConversationTests.glob() }, document) > 0;
}

/**
 * Checks `*.conversation.yaml` in the editor with core's parser (the one `baton test` uses), so a
 * broken file is marked at its line whether or not a YAML extension is installed (the contributed
 * `yamlValidation` schema only helps when one is), and offers the step keys of core's schema.
 */
export class ConversationYamlSupport implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('baton-conversations');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [this.diagnostics];
  /** Read once from core's JSON Schema. */
  private readonly keys: Record<'step' | 'stepOption' | 'topLevel', SchemaKey[]> = { step: stepKeys(), stepOption: stepOptionKeys(), topLevel: topLevelKeys() };

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.check(d)),
      vscode.workspace.onDidSaveTextDocument((d) => this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.checkSoon(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.languages.registerCompletionItemProvider([{ language: 'yaml' }, { pattern: '**/*.{yaml,yml}' }], {
        provideCompletionItems: (document, position) => this.complete(document, position),
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.check(d);
  }

  /** Replaces the document's diagnostics with its parse problems (each at its line), or clears them when it parses. */
  check(document: vscode.TextDocument): void {
    if (!isConversationFile(document)) return;
    const parsed = parseConversationFile(vscode.workspace.asRelativePath(document.uri), document.getText());
    if (!('problem' in parsed)) {
      this.diagnostics.delete(document.uri);
      return;
    }
    this.diagnostics.set(
      document.uri,
      parsed.problems.map((problem) => {
        const line = document.lineAt(Math.min(Math.max(0, problem.line - 1), document.lineCount - 1));
        const range = new vscode.Range(line.lineNumber, line.firstNonWhitespaceCharacterIndex, line.lineNumber, line.text.length);
        const diagnostic = new vscode.Diagnostic(range, problem.message, vscode.DiagnosticSeverity.Error);
        diagnostic.source = SOURCE;
        return diagnostic;
      }),
    );
  }

  private checkSoon(document: vscode.TextDocument): void {
    if (!isConversationFile(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.check(document);
      }, DEBOUNCE_MS),
    );
  }

  private forget(uri: vscode.Uri): void {
    clearTimeout(this.timers.get(uri.toString()));
    this.timers.delete(uri.toString());
    this.diagnostics.delete(uri);
  }

  private complete(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    if (!isConversationFile(document)) return [];
    const place = completionPlace(document.lineAt(position.line).text.slice(0, position.character));
    const keys = place === undefined ? [] : this.keys[place];
    return keys.map(({ key, description }) => {
      const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Property);
      item.insertText = `${key}: `;
      item.detail = place === 'topLevel' ? 'Baton conversation scenario' : 'Baton conversation step';
      if (description !== undefined) item.documentation = description;
      return item;
    });
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
