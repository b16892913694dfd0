"""The catalogue of volunteer skills (admins add and rename skills later, without a release)."""

from django.db import migrations

SKILLS = [
    ("events", "Іс-шараларды ұйымдастыру", "Организация мероприятий", "Organising events"),
    ("guiding", "Қатысушыларды қарсы алу және бағыттау", "Встреча и сопровождение участников",
     "Welcoming and guiding participants"),
    ("translation", "Аударма", "Перевод", "Translation"),
    ("sign_language", "Ым тілі", "Жестовый язык", "Sign language"),
    ("first_aid", "Алғашқы медициналық көмек", "Первая помощь", "First aid"),
    ("children", "Балалармен жұмыс", "Работа с детьми", "Working with children"),
    ("elderly", "Егде адамдарға көмек", "Помощь пожилым людям", "Helping older people"),
    ("disability", "Мүгедектігі бар адамдарға көмек", "Помощь лицам с инвалидностью",
     "Helping people with disabilities"),
    ("photo_video", "Фото және бейне түсіру", "Фото- и видеосъемка", "Photo and video"),
    ("social_media", "Әлеуметтік желілер", "Социальные сети", "Social media"),
    ("driving", "Көлік жүргізу", "Вождение автомобиля", "Driving"),
    ("logistics", "Жүк тасу және тарату", "Погрузка и раздача помощи", "Carrying and handing out aid"),
    ("teaching", "Тіл үйрету және сабақ беру", "Обучение и преподавание языка",
     "Teaching and language lessons"),
    ("sports", "Спорт", "Спорт", "Sports"),
    ("it", "Компьютерлік көмек", "Компьютерная помощь", "Computer help"),
]  # fmt: skip


def load(apps, schema_editor):
    Skill = apps.get_model("volunteers", "Skill")
    for position, (code, kk, ru, en) in enumerate(SKILLS, start=1):
        Skill.objects.update_or_create(
            code=code,
            defaults={
                "name": kk,
                "name_kk": kk,
                "name_ru": ru,
                "name_en": en,
                "position": position * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
