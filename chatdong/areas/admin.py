from django.contrib import admin

from chatdong.areas.models import Dong, Gu, Region, Tong


@admin.register(Gu)
class GuAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name",)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "gu")
    list_filter = ("gu",)


@admin.register(Dong)
class DongAdmin(admin.ModelAdmin):
    list_display = ("name", "gu", "region", "code")
    list_filter = ("gu",)
    search_fields = ("name",)


@admin.register(Tong)
class TongAdmin(admin.ModelAdmin):
    list_display = ("dong", "number", "ban_count")
    list_filter = ("dong__gu",)
