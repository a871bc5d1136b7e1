"""The import upload form (file type and size are checked again by the service)."""

from django import forms

from cases.services.imports import MAX_FILE_BYTES
from chatdong.accounts.scoping import writable_dongs


class ImportForm(forms.Form):
    dong = forms.ModelChoiceField(label="가져올 동", queryset=None, empty_label=None)
    file = forms.FileField(
        label="파일 (.csv 또는 .xlsx)",
        error_messages={"required": "가져올 파일을 선택하세요.", "empty": "빈 파일입니다."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = writable_dongs(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError("CSV(.csv) 또는 엑셀(.xlsx) 파일만 올릴 수 있습니다.")
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(f"파일이 너무 큽니다. {MAX_FILE_BYTES // (1024 * 1024)}MB 이하로 나누어 올려 주세요.")
        return upload
