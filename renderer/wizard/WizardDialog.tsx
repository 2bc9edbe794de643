import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import Step from '@mui/material/Step';
import StepButton from '@mui/material/StepButton';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Typography from '@mui/material/Typography';
import { type ComponentType, type FormEvent, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { FerryError } from '../../shared/rpc/errors.ts';
import { FormDialog, OfflineNotice } from '../components/form.tsx';
import { VisuallyHidden } from '../components/VisuallyHidden.tsx';
import { useConnection } from '../store/connection.ts';
import { DiscardDialog } from './DiscardDialog.tsx';
export type { FieldErrors, WizardMode } from './fields-of.ts';
import { errorsOfStep, type FieldErrors, fieldKey, fieldShowing, firstStepWithErrors, stepOfField, type WizardMode, withoutErrors } from './fields-of.ts';


/** What every step component gets from the frame. */
export interface StepProps<D> {
  draft: D;
  /**
   * Changes the draft. The messages of the paths in `clear` (and under them) go, so a
   * field's message leaves as soon as it is edited: pass the paths the change touches.
   */
  update: (change: (draft: D) => D, ...clear: string[]) => void;
  /** This step's messages by field path (see fields-of.ts). */
  errors: FieldErrors;
  /**
   * A ref for the input that shows `path`'s message: Next and Finish focus the first
   * such input (in page order) with a message. A message whose path no input on its step
   * registered (exactly or as a parent) is listed above the step instead, never lost.
   */
  fieldRef: (path: string) => (element: HTMLElement | null) => void;
  /** True while Finish is saving. */
  disabled: boolean;
  mode: WizardMode;
  /** Opens another step by its label (the Summary's "Change" links). */
  goToStep: (label: string) => void;
}

export interface WizardStep<D> {
  /** In the step list: "Job", "Objects", "Map backup"… */
  label: string;
  /** One sentence under the step's title: what this step decides. */
  intro: string;
  /** The field path prefixes whose messages this step shows (the last step gets the rest). */
  owns: readonly string[];
  Component: ComponentType<StepProps<D>>;
}

export interface WizardDialogProps<D> {
  /** The dialog's name: "New backup copy job", "Edit “Daily copy”"… */
  title: string;
  steps: readonly WizardStep<D>[];
  /** The draft the wizard opens with; "Discard the changes?" is asked when the draft differs from it. */
  initial: D;
  mode: WizardMode;
  /** Every problem of the draft, by field path (the engine's zod schemas, plus what only the page knows). */
  validate: (draft: D) => FieldErrors;
  /**
   * Saves (Finish). A rejection with a FerryError whose `details.fields` names fields
   * shows each message at its field (opening its step); any other shows on the last step.
   */
  save: (draft: D) => Promise<void>;
  /** The Finish button while saving: "Creating…", "Saving…". */
  savingLabel: string;
  /** Closed without saving (after "Discard the changes?" if anything was typed). */
  onClose: () => void;
}

function failureMessage(error: FerryError): string {
  if (error.code === 'engine_unavailable') return `${error.message} Everything you entered is kept: click Finish again once the connection is back.`;
  return error.message;
}

/**
 * The frame of every job wizard: the steps on the left (Veeam's layout), one step's page,
 * Back / Next / Finish. Next checks the step, Back keeps everything, the close button and
 * Escape ask before throwing away what was typed, and the engine's messages land at
 * their fields.
 */
export function WizardDialog<D>({ title, steps, initial, mode, validate, save, savingLabel, onClose }: WizardDialogProps<D>) {
  const connected = useConnection((s) => s.state === 'connected');
  const [draft, setDraft] = useState<D>(initial);
  const [step, setStep] = useState(0);
  // Edit and clone open with a whole job: every step may be visited at once.
  const [furthest, setFurthest] = useState(mode === 'new' ? 0 : steps.length - 1);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [unclaimed, setUnclaimed] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [asking, setAsking] = useState(false);
  const [focusWanted, setFocusWanted] = useState(0);
  const fields = useRef(new Map<string, HTMLElement>());
  const refs = useRef(new Map<string, (element: HTMLElement | null) => void>());
  const content = useRef<HTMLDivElement>(null);
  const owned = useMemo(() => steps.map((s) => s.owns), [steps]);
  const last = steps.length - 1;
  const current = steps[step]!;
  const stepErrors = useMemo(() => errorsOfStep(owned, errors, step), [owned, errors, step]);
  const initialText = useMemo(() => JSON.stringify(initial), [initial]);

  const fieldRef = useCallback((path: string) => {
    let ref = refs.current.get(path);
    if (!ref) {
      ref = (element) => {
        if (element) fields.current.set(path, element);
        else fields.current.delete(path);
      };
      refs.current.set(path, ref);
    }
    return ref;
  }, []);

  const update = useCallback((change: (d: D) => D, ...clear: string[]) => {
    setDraft(change);
    if (clear.length > 0) setErrors((e) => withoutErrors(e, clear));
  }, []);

  // After each render of a step: which messages no field shows, and the focus asked for.
  useLayoutEffect(() => {
    const registered = [...fields.current.keys()];
    const shown = Object.keys(stepErrors).filter((field) => field !== 'form');
    const orphans = shown.filter((field) => fieldShowing(registered, field) === null);
    setUnclaimed((before) => (before.join('\n') === orphans.join('\n') ? before : orphans));
    if (focusWanted === 0) return;
    const targets = shown
      .map((field) => fieldShowing(registered, field))
      .filter((field): field is string => field !== null)
      .map((field) => fields.current.get(field)!)
      .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    if (targets[0]) targets[0].focus();
    else content.current?.scrollTo({ top: 0 });
  }, [stepErrors, step, focusWanted]);

  const goTo = (next: number) => {
    setStep(next);
    setFurthest((f) => Math.max(f, next));
    setFormError(null);
    content.current?.scrollTo({ top: 0 });
  };

  /** Shows messages at their fields: the earliest step with one opens, its first field takes the focus. */
  const show = (shown: FieldErrors) => {
    setErrors(shown);
    goTo(firstStepWithErrors(owned, shown) ?? last);
    if (shown.form) setFormError(shown.form);
    setFocusWanted((n) => n + 1);
  };

  const next = () => {
    const own = errorsOfStep(owned, validate(draft), step);
    if (Object.keys(own).length > 0) {
      setErrors(own);
      setFocusWanted((n) => n + 1);
      return;
    }
    // Messages of other steps (the engine's, after a Finish) stay until their fields change.
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([field]) => stepOfField(owned, field) !== step)));
    goTo(step + 1);
  };

  const finish = async () => {
    if (saving) return;
    const problems = validate(draft);
    if (Object.keys(problems).length > 0) {
      show(problems);
      return;
    }
    setSaving(true);
    setFormError(null);
    try {
      await save(draft);
    } catch (error) {
      setSaving(false);
      const ferryError = error as FerryError;
      const reported = ferryError.details?.fields;
      if (reported && Object.keys(reported).length > 0) {
        const mapped: FieldErrors = {};
        for (const [path, message] of Object.entries(reported)) mapped[fieldKey(path)] ??= message;
        show(mapped);
      } else {
        setFormError(failureMessage(ferryError));
      }
      return;
    }
    setSaving(false);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (step === last) void finish();
    else next();
  };

  const requestClose = () => {
    if (saving) return;
    if (JSON.stringify(draft) === initialText) onClose();
    else setAsking(true);
  };

  const stepsWithErrors = new Set(Object.keys(errors).map((field) => stepOfField(owned, field)));
  const Current = current.Component;

  return (
    <FormDialog
      open
      title={title}
      onClose={requestClose}
      onSubmit={submit}
      maxWidth="md"
      // One size for every step, so the buttons stay put while moving through the wizard.
      paperSx={{ maxWidth: 1040, height: 'min(780px, calc(100% - 64px))' }}
    >
      <Box sx={{ display: 'flex', flex: '1 1 auto', minHeight: 0, borderTop: 1, borderColor: 'divider' }}>
        <Box
          component="nav"
          aria-label="Steps"
          sx={{ width: 188, flexShrink: 0, borderRight: 1, borderColor: 'divider', overflowY: 'auto', py: 2, px: 1.5, display: { xs: 'none', sm: 'block' } }}
        >
          <Stepper activeStep={step} orientation="vertical" nonLinear sx={{ '& .MuiStepConnector-line': { minHeight: 12 } }}>
            {steps.map((s, index) => {
              const hasError = stepsWithErrors.has(index);
              return (
                <Step key={s.label} completed={index < step && !hasError}>
                  <StepButton
                    onClick={() => goTo(index)}
                    disabled={saving || index > furthest}
                    aria-current={index === step ? 'step' : undefined}
                    sx={{ py: 0.5, my: -0.5, textAlign: 'left' }}
                  >
                    <StepLabel error={hasError}>{s.label}</StepLabel>
                  </StepButton>
                </Step>
              );
            })}
          </Stepper>
        </Box>
        <DialogContent ref={content} sx={{ pt: '20px !important', minWidth: 0 }}>
          <VisuallyHidden role="status">
            Step {step + 1} of {steps.length}: {current.label}
          </VisuallyHidden>
          <Typography variant="h6" component="h3" sx={{ mb: 0.5 }}>
            <Box component="span" sx={{ display: { sm: 'none' }, color: 'text.secondary', fontWeight: 400 }}>
              {step + 1}/{steps.length}{' '}
            </Box>
            {current.label}
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2.5 }}>
            {current.intro}
          </Typography>
          {unclaimed.length > 0 ? (
            <Alert severity="error" sx={{ mb: 2 }}>
              {unclaimed.map((field) => (
                <div key={field}>{stepErrors[field]}</div>
              ))}
            </Alert>
          ) : null}
          {step === last && formError ? (
            <Alert severity="error" onClose={() => setFormError(null)} sx={{ mb: 2 }}>
              {formError}
            </Alert>
          ) : null}
          <Current
            draft={draft}
            update={update}
            errors={stepErrors}
            fieldRef={fieldRef}
            disabled={saving}
            mode={mode}
            goToStep={(label) => {
              const index = steps.findIndex((s) => s.label === label);
              if (index >= 0) goTo(index);
            }}
          />
          {!connected ? (
            <OfflineNotice sx={{ mt: 2.5 }}>You can keep going; Finish works once the connection is back.</OfflineNotice>
          ) : null}
        </DialogContent>
      </Box>
      <DialogActions sx={{ px: 3, pb: 2.5, pt: 1.5, gap: 1, borderTop: 1, borderColor: 'divider' }}>
        <Button onClick={requestClose} color="inherit" disabled={saving}>
          Cancel
        </Button>
        <Box sx={{ flex: 1 }} />
        <Button onClick={() => goTo(step - 1)} disabled={step === 0 || saving} color="inherit" variant="outlined" sx={{ borderColor: 'divider' }}>
          Back
        </Button>
        {step === last ? (
          <Button type="submit" variant="contained" loading={saving} loadingPosition="start" disabled={!connected}>
            {saving ? savingLabel : 'Finish'}
          </Button>
        ) : (
          <Button type="submit" variant="contained">
            Next
          </Button>
        )}
      </DialogActions>
      <DiscardDialog open={asking} onKeep={() => setAsking(false)} onDiscard={onClose} />
    </FormDialog>
  );
}
