"""Supervisor pages: plans, the import and re-import flows, task editing, split and merge, the task sheet.

Reads go through luoshi.plans.selectors (so a reporter gets 404 for a task
of another unit); writes go through luoshi.plans.services. Only admins and
supervisors change anything here; a leader gets 403 on every write page.
"""
import hashlib
import json
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from luoshi.accounts.permissions import is_supervisor, reads_everything
from luoshi.accounts.selectors import unit_list
from luoshi.audit import labels as audit_labels
from luoshi.plans import documents, selectors, services, sheets
from luoshi.plans.forms import (
    IndicatorFormSet,
    MilestoneFormSet,
    PlanImportForm,
    PlanReimportForm,
    TaskForm,
    TaskMergeIntoForm,
    TaskSplitForm,
    TasksMergeForm,
    UnitLearnForm,
    max_upload_bytes,
)
from luoshi.plans.models import Measure, Task
from luoshi.plans.staging import staging_delete, staging_read, staging_save, staging_write
from luoshi.plans.suggest import unit_table_learn


def _require_supervisor(request) -> None:
    if not is_supervisor(request.user):
        raise PermissionDenied(_("Only the supervision office can change plans and tasks."))


def _too_big(request) -> bool:
    """Refuse an oversized upload from its Content-Length, before Django reads the body."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    # Room for the other form fields and the multipart boundaries.
    return length > max_upload_bytes() + 64 * 1024


def _too_big_message() -> str:
    return _("The file is larger than the limit of %(limit)s MB.") % {"limit": settings.LUOSHI_MAX_UPLOAD_MB}


# ------------------------------------------------------------- staging
# Between the preview and the confirmation the uploaded bytes wait on the
# server under a random name that only this session knows; the client sends
# nothing but "confirm", so it cannot swap the file it previewed.

def _stage(request, key: str, *, content: bytes, **meta) -> None:
    _unstage(request, key)
    token = staging_save(content=content)
    request.session[key] = {"token": token, "sha256": hashlib.sha256(content).hexdigest(), **meta}


def _staged(request, key: str) -> tuple[bytes, dict] | None:
    meta = request.session.get(key)
    if not meta:
        return None
    content = staging_read(token=meta["token"])
    if content is None or hashlib.sha256(content).hexdigest() != meta["sha256"]:
        return None
    return content, meta


def _unstage(request, key: str) -> None:
    meta = request.session.pop(key, None)
    if meta:
        staging_delete(token=meta["token"])
        staging_delete(token=meta["token"], suffix=OUTLINE_SUFFIX)


# The outline as the clerk corrects it on the preview waits beside the file it was read from.
OUTLINE_SUFFIX = ".outline.json"


def _outline_save(meta: dict, outline: dict) -> None:
    staging_write(token=meta["token"], suffix=OUTLINE_SUFFIX, content=json.dumps(outline, ensure_ascii=False).encode())


def _outline_staged(meta: dict, content: bytes) -> dict:
    stored = staging_read(token=meta["token"], suffix=OUTLINE_SUFFIX)
    if stored is not None:
        return json.loads(stored.decode("utf-8"))
    outline = services.outline_parse(content=content, filename=meta["filename"], year=meta["year"])
    _outline_save(meta, outline)
    return outline


# ------------------------------------------------------------- plans

@login_required
def plan_list(request):
    plans = list(selectors.plan_list(visible_to=request.user).select_related("created_by"))
    figures = selectors.plan_figures(visible_to=request.user, plan_ids=[plan.pk for plan in plans])
    for plan in plans:
        plan.figures = figures.get(plan.pk, selectors.PlanFigures())
    return render(request, "plans/plan_list.html", {"plans": plans, "can_import": is_supervisor(request.user)})


@login_required
def plan_detail(request, pk: int):
    """The plan as its document reads: sections, each measure's sentence beside its tasks.

    A plan of up to PLAN_PAGE_TASKS tasks and measures (as the reader sees
    it) shows every task at once. A bigger one shows its outline, each section with its
    measures, tasks and lights counted, and the tasks of one section when it
    is opened (``?section=ID``), SECTION_PAGE_MEASURES sentences a page: the
    page costs the same whatever the plan's size.
    """
    plan = selectors.plan_get(visible_to=request.user, pk=pk)
    figures = selectors.section_figures(visible_to=request.user, plan=plan)
    roots = [item for item in figures.values() if item.top]
    counts = {
        "measures": sum(f.measures for f in roots),
        "tasks": sum(f.tasks for f in roots),
        "unassigned": sum(f.unassigned for f in roots),
    }
    outline = counts["tasks"] > PLAN_PAGE_TASKS or counts["measures"] > PLAN_PAGE_TASKS
    opened = None
    tree = selectors.section_tree(visible_to=request.user, plan=plan, measures=not outline)
    if outline:
        sections = {section.pk: section for section in _walk(tree)}
        for section in sections.values():
            section.figures = figures[section.pk]
        wanted = request.GET.get("section")
        if wanted is not None:
            if not wanted.isdigit() or int(wanted) not in sections:
                raise Http404("No such section")
            opened = sections[int(wanted)]
            measures = selectors.measure_list(visible_to=request.user, plan=plan).filter(section=opened)
            page = Paginator(measures.order_by("position", "pk"), SECTION_PAGE_MEASURES).get_page(request.GET.get("page"))
            opened.page, opened.query = page, f"section={opened.pk}"
            opened.visible_measures = list(page.object_list)
            _tasks_attach(request, plan, opened.visible_measures)
    else:
        _tasks_attach(request, plan, [m for section in _walk(tree) for m in section.visible_measures])
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "tree": tree,
            "counts": counts,
            "outline": outline,
            "opened": opened,
            "source": plan.current_source,
            "can_edit": is_supervisor(request.user),
        },
    )


# A plan bigger than this shows its outline and one section's tasks at a time.
PLAN_PAGE_TASKS = 100
SECTION_PAGE_MEASURES = 50


def _tasks_attach(request, plan, measures: list[Measure]) -> None:
    """Give each measure its ``visible_tasks``, in one query (and the list's prefetches)."""
    tasks_by_measure: dict[int, list[Task]] = {}
    tasks = selectors.task_list(visible_to=request.user, plan=plan).filter(measure__in=[m.pk for m in measures])
    for task in tasks.order_by("measure__position", "position", "id"):
        tasks_by_measure.setdefault(task.measure_id, []).append(task)
    for measure in measures:
        measure.visible_tasks = tasks_by_measure.get(measure.pk, [])


def _walk(sections):
    for section in sections:
        yield section
        yield from _walk(section.subsections)


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request):
    _require_supervisor(request)
    if request.method == "POST" and _too_big(request):
        return render(request, "plans/plan_import.html", {"form": PlanImportForm(), "refused": _too_big_message()},
                      status=413)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            outline = services.outline_parse(content=content, filename=upload.name, year=form.cleaned_data["year"])
        except services.PlanImportError as exc:
            form.add_error("file", str(exc))
        else:
            _stage(
                request,
                "plan_import",
                content=content,
                filename=upload.name,
                name=form.cleaned_data["name"],
                year=form.cleaned_data["year"],
                issuing_body=form.cleaned_data["issuing_body"],
            )
            _outline_save(request.session["plan_import"], outline)
            return redirect("plans:import_preview")
    return render(request, "plans/plan_import.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_preview(request):
    _require_supervisor(request)
    staged = _staged(request, "plan_import")
    if staged is None:
        messages.error(request, _("Nothing to confirm: upload the plan document again."))
        return redirect("plans:import")
    content, meta = staged
    try:
        outline = _outline_staged(meta, content)
    except services.PlanImportError as exc:
        messages.error(request, str(exc))
        return redirect("plans:import")
    if request.method == "POST":
        if "cancel" in request.POST:
            _unstage(request, "plan_import")
            messages.info(request, _("Import cancelled; nothing was saved."))
            return redirect("plans:list")
        if "action" in request.POST:
            return _preview_correct(request, meta, outline)
        try:
            plan = services.plan_import(
                name=meta["name"],
                year=meta["year"],
                filename=meta["filename"],
                content=content,
                actor=request.user,
                issuing_body=meta["issuing_body"],
                outline=outline,
            )
        except services.PlanImportError as exc:
            messages.error(request, str(exc))
            return redirect("plans:import_preview")
        _unstage(request, "plan_import")
        messages.success(
            request,
            _("Imported %(name)s: %(count)s tasks are ready for review.") % {"name": plan.name, "count": plan.tasks.count()},
        )
        return redirect("plans:detail", pk=plan.pk)
    preview = services.outline_preview(outline=outline, year=meta["year"])
    no_target = sum(1 for p in preview.proposals if not p.has_target)
    return render(
        request,
        "plans/plan_import_preview.html",
        {
            "meta": meta,
            "preview": preview,
            "tree": _preview_tree(preview, preview.outline.get("sections", [])),
            "appendices": _preview_tree(preview, preview.outline.get("appendices", [])),
            "no_target": no_target,
            "units": unit_list(visible_to=request.user),
        },
    )


_PREVIEW_ACTIONS = ("edit", "merge", "split", "drop", "heading")


def _preview_correct(request, meta: dict, outline: dict):
    """Apply one correction the clerk made on the preview to the staged outline, then show the preview again."""
    action, measure_id, year = request.POST.get("action"), request.POST.get("measure", ""), meta["year"]
    section_id = measure_id.rsplit(".", 1)[0]
    try:
        if action == "merge":
            outline = services.outline_measure_merge(outline=outline, measure_id=measure_id, year=year)
        elif action == "split":
            outline = services.outline_measure_split(outline=outline, measure_id=measure_id, year=year,
                                                     at=_int_or(request.POST.get("at"), 0))
        elif action == "drop":
            outline = services.outline_measure_drop(outline=outline, measure_id=measure_id)
        elif action == "heading":
            outline = services.outline_measure_to_heading(outline=outline, measure_id=measure_id)
        elif action == "edit":
            outline = services.outline_measure_edit(outline=outline, measure_id=measure_id, year=year,
                                                    **_preview_edit_values(request))
        else:
            return HttpResponse(status=400)
    except services.OutlineEditError as exc:
        messages.error(request, str(exc))
    else:
        _outline_save(meta, outline)
    return redirect(reverse("plans:import_preview") + f"#s-{section_id}")


def _int_or(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _preview_edit_values(request) -> dict:
    """The edit form's fields as the service takes them. Units and due date count as chosen only when
    the clerk changed them from what the page proposed, so that fixing a typo does not pin a guess;
    a unit that is not an active unit is refused."""
    post = request.POST
    values: dict = {"text": post.get("text")}
    lead = _int_or(post.get("lead"), None)
    co = sorted(pk for pk in (_int_or(v, None) for v in post.getlist("co")) if pk is not None)
    shown = (_int_or(post.get("lead_shown"), None),
             sorted(pk for pk in (_int_or(v, None) for v in post.get("co_shown", "").split(",")) if pk is not None))
    if (lead, co) != shown:
        active = set(unit_list(visible_to=request.user).values_list("pk", flat=True))
        if (lead is not None and lead not in active) or any(pk not in active for pk in co):
            raise services.OutlineEditError(_("Choose units from the directory."))
        values.update(units_chosen=True, lead_unit_id=lead, co_unit_ids=co)
    if post.get("due_date") and post["due_date"] != post.get("due_shown"):
        try:
            values["due_date"] = date.fromisoformat(post["due_date"])
        except ValueError:
            raise services.OutlineEditError(_("“%(value)s” is not a date.") % {"value": post["due_date"]})
    return values


def _preview_tree(preview, sections: list[dict]) -> list[dict]:
    """The outline's sections as nested dicts, each measure paired with its proposed task."""

    def build(sections):
        return [
            {
                "section": s,
                "warnings": preview.section_warnings.get(s["id"], []),
                "proposals": [preview.proposal_for(m["id"]) for m in s.get("measures", [])],
                "children": build(s.get("sections", [])),
            }
            for s in sections
        ]

    return build(sections)


@login_required
@require_http_methods(["GET", "POST"])
def plan_reimport(request, pk: int):
    _require_supervisor(request)
    plan = selectors.plan_get(visible_to=request.user, pk=pk)
    key = f"plan_reimport_{plan.pk}"
    if request.method == "POST" and _too_big(request):
        return render(request, "plans/plan_reimport.html",
                      {"plan": plan, "form": PlanReimportForm(), "refused": _too_big_message()}, status=413)
    form = PlanReimportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            services.plan_reimport(plan=plan, filename=upload.name, content=content, actor=request.user, dry_run=True)
        except services.PlanImportError as exc:
            form.add_error("file", str(exc))
        else:
            _stage(request, key, content=content, filename=upload.name)
            return redirect("plans:reimport_preview", pk=plan.pk)
    return render(request, "plans/plan_reimport.html", {"plan": plan, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def plan_reimport_preview(request, pk: int):
    _require_supervisor(request)
    plan = selectors.plan_get(visible_to=request.user, pk=pk)
    key = f"plan_reimport_{plan.pk}"
    staged = _staged(request, key)
    if staged is None:
        messages.error(request, _("Nothing to confirm: upload the revised document again."))
        return redirect("plans:reimport", pk=plan.pk)
    content, meta = staged
    if request.method == "POST" and "cancel" in request.POST:
        _unstage(request, key)
        messages.info(request, _("Re-import cancelled; nothing was changed."))
        return redirect("plans:detail", pk=plan.pk)
    dry_run = request.method != "POST"
    try:
        diff = services.plan_reimport(
            plan=plan, filename=meta["filename"], content=content, actor=request.user, dry_run=dry_run
        )
    except services.PlanImportError as exc:
        _unstage(request, key)
        messages.error(request, str(exc))
        return redirect("plans:reimport", pk=plan.pk)
    if diff.applied:
        _unstage(request, key)
        messages.success(
            request,
            _("Version %(version)s saved: %(added)s added, %(changed)s changed, %(removed)s removed.")
            % {"version": diff.version, "added": len(diff.added), "changed": len(diff.changed),
               "removed": len(diff.removed)},
        )
        return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_reimport_preview.html", {"plan": plan, "diff": diff, "meta": meta})


# ------------------------------------------------------------- tasks

@login_required
def task_detail(request, pk: int):
    """The one task page, for every role: luoshi.tracking.views.task_page builds it."""
    # Imported here: the tracking app builds on the plans app, not the other way round.
    from luoshi.tracking.views import task_page

    return task_page(request, selectors.task_get(visible_to=request.user, pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request, pk: int):
    task = selectors.task_get(visible_to=request.user, pk=pk)
    _require_supervisor(request)
    if request.method != "POST":
        form = TaskForm(initial=TaskForm.initial_for(task), task=task)
        milestones = MilestoneFormSet(
            initial=[{"id": m.pk, "title": m.title, "due_date": m.due_date} for m in task.milestones.all()],
            prefix="milestones",
        )
        indicators = IndicatorFormSet(
            initial=[
                {"id": i.pk, "name": i.name, "unit": i.unit, "baseline": i.baseline, "target": i.target,
                 "target_text": i.target_text}
                for i in task.indicators.all()
            ],
            prefix="indicators",
        )
        return _task_edit_render(request, task, form, milestones, indicators)

    form = TaskForm(request.POST, task=task)
    milestones = MilestoneFormSet(request.POST, prefix="milestones")
    indicators = IndicatorFormSet(request.POST, prefix="indicators")
    if not (form.is_valid() and milestones.is_valid() and indicators.is_valid()):
        return _task_edit_render(request, task, form, milestones, indicators, status=400)
    data = form.cleaned_data
    changes = {name: data[name] for name in ("title", "description", "lead_unit", "supervising_leader",
                                             "start_date", "due_date", "weight")}
    changes["co_units"] = list(data["co_units"])
    changes["programmes"] = list(data["programmes"])
    changes["milestones"] = [row for row in (f.row() for f in milestones.forms) if row]
    changes["indicators"] = [row for row in (f.row() for f in indicators.forms) if row]
    try:
        services.task_update(task=task, actor=request.user, changes=changes, expected_version=data["version"])
    except services.StaleEdit as stale:
        # Keep what the user typed; move the form to the current version so a
        # second, deliberate save goes through.
        posted = request.POST.copy()
        posted["version"] = str(stale.task.version)
        form = TaskForm(posted, task=stale.task)
        form.is_valid()
        return _task_edit_render(
            request, stale.task, form, milestones, indicators, status=409, stale=stale,
            current=audit_labels.labelled(services.task_snapshot(stale.task), model=Task),
        )
    except ValidationError as exc:
        for field_name, errors in exc.message_dict.items():
            target = field_name if field_name in form.fields else None
            for error in errors:
                form.add_error(target, error)
        return _task_edit_render(request, task, form, milestones, indicators, status=400)
    messages.success(request, _("Task saved."))
    return redirect("plans:task", pk=task.pk)


def _task_edit_render(request, task, form, milestones, indicators, *, status=200, stale=None, current=None):
    return render(
        request,
        "plans/task_edit.html",
        {
            "task": task,
            "form": form,
            "milestones": milestones,
            "indicators": indicators,
            "stale": stale,
            "current": current,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_split(request, pk: int):
    task = selectors.task_get(visible_to=request.user, pk=pk)
    _require_supervisor(request)
    form = TaskSplitForm(request.POST or None, initial={"version": task.version, "titles": task.title})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.task_split(
                task=task, actor=request.user, titles=form.cleaned_data["titles"],
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleEdit as stale:
            form.add_error(None, str(stale))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The task is now %(count)s tasks.") % {"count": len(created)})
            return redirect(reverse("plans:detail", args=[task.plan_id]) + f"#measure-{task.measure_id}")
    return render(request, "plans/task_split.html", {"task": task, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def tasks_merge(request, pk: int):
    measure = get_object_or_404(Measure, pk=pk)
    # A measure is reachable only through a task the user may read.
    if not selectors.task_list(visible_to=request.user).filter(measure=measure).exists():
        raise Http404("No such measure")
    _require_supervisor(request)
    form = TasksMergeForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.tasks_merge(
                tasks=list(form.cleaned_data["tasks"]), actor=request.user, title=form.cleaned_data["title"]
            )
        except (services.StaleEdit, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Tasks merged."))
            return redirect("plans:task", pk=task.pk)
    if request.method == "POST" and not form.is_valid():
        return render(request, "plans/tasks_merge.html", {"measure": measure, "form": form}, status=400)
    return render(request, "plans/tasks_merge.html", {"measure": measure, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def task_delete(request, pk: int):
    task = selectors.task_get(visible_to=request.user, pk=pk)
    _require_supervisor(request)
    refusal = services.task_history_refusal(task)
    if request.method == "POST" and not refusal:
        try:
            services.task_delete(task=task, actor=request.user)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            messages.success(request, _("Task deleted; its last state is kept in the audit log."))
            return redirect(reverse("plans:detail", args=[task.plan_id]) + f"#measure-{task.measure_id}")
    status = 409 if request.method == "POST" else 200
    return render(request, "plans/task_delete.html", {"task": task, "refusal": refusal},
                  status=status if refusal else 200)


@login_required
@require_http_methods(["GET", "POST"])
def task_merge_into(request, pk: int):
    """Merge this task into another task of the same plan, for instance one cut from the measure above."""
    task = selectors.task_get(visible_to=request.user, pk=pk)
    _require_supervisor(request)
    form = TaskMergeIntoForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        into = form.cleaned_data["into"]
        try:
            kept = services.tasks_merge(tasks=[into, task], keep=into, actor=request.user)
        except (services.StaleEdit, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Tasks merged."))
            return redirect("plans:task", pk=kept.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/task_merge.html", {"task": task, "form": form}, status=status)


# ------------------------------------------------------------- task sheet (任务分解表)

_SHEET_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@login_required
def plan_sheet_download(request, pk: int, fmt: str):
    """The whole plan's task sheet: for those who read every unit's tasks (admins, supervisors, leaders)."""
    if fmt not in _SHEET_TYPES:
        raise Http404("No such format")
    plan = selectors.plan_get(visible_to=request.user, pk=pk)
    if not reads_everything(request.user):
        raise PermissionDenied(_("The task sheet lists every unit's tasks; ask the supervision office for it."))
    content = sheets.task_sheet_export(plan=plan) if fmt == "xlsx" else documents.task_sheet_docx(plan=plan)
    response = HttpResponse(content, content_type=_SHEET_TYPES[fmt])
    response.headers["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{plan.name}任务分解表.{fmt}"
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def plan_sheet_upload(request, pk: int):
    """Upload an edited task sheet, see every change or every bad cell, then apply all or nothing."""
    plan = selectors.plan_get(visible_to=request.user, pk=pk)
    _require_supervisor(request)
    key = f"plan-sheet-{plan.pk}"
    context = {"plan": plan}
    if request.method == "GET":
        _unstage(request, key)
        return render(request, "plans/sheet_upload.html", context)

    if "cancel" in request.POST:
        _unstage(request, key)
        return redirect("plans:detail", pk=plan.pk)
    if "apply" in request.POST:
        staged = _staged(request, key)
        if staged is None:
            context["refused"] = _("The checked file is no longer here. Please upload it again.")
            return render(request, "plans/sheet_upload.html", context, status=400)
        content, meta = staged
        result = sheets.task_sheet_import(plan=plan, data=content, actor=request.user, dry_run=False)
        if result.applied:
            _unstage(request, key)
            messages.success(
                request, _("Task sheet imported: %(count)s tasks changed.") % {"count": len(result.changes)}
            )
            return redirect("plans:detail", pk=plan.pk)
        context.update(result=result, filename=meta["filename"])
        return render(request, "plans/sheet_upload.html", context, status=400 if result.errors else 200)

    upload = request.FILES.get("file")
    refusal = None
    if upload is None:
        refusal = _("Choose the edited .xlsx file.")
    else:
        refusal = sheets.sheet_size_error(upload.size)
    if refusal:
        context["refused"] = refusal
        return render(request, "plans/sheet_upload.html", context, status=400)
    content = upload.read()
    result = sheets.task_sheet_import(plan=plan, data=content, actor=request.user, dry_run=True)
    if result.errors or not result.changes:
        _unstage(request, key)
    else:
        _stage(request, key, content=content, filename=upload.name)
    context.update(result=result, filename=upload.name, can_apply=bool(result.changes) and not result.errors)
    return render(request, "plans/sheet_upload.html", context, status=400 if result.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def unit_learn(request):
    """Upload last year's 任务分解表; the page then shows what was learned from it."""
    _require_supervisor(request)
    if request.method == "POST" and _too_big(request):
        return render(request, "plans/unit_learn.html", {"form": UnitLearnForm(), "refused": _too_big_message()},
                      status=413)
    form = UnitLearnForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = unit_table_learn(content=upload.read(), filename=upload.name, actor=request.user)
        except ValidationError as exc:
            form.add_error("file", " ".join(exc.messages))
        else:
            form = UnitLearnForm()
    return render(request, "plans/unit_learn.html", {"form": form, "result": result})
