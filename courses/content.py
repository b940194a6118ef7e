"""The "Frugal prompting / Prompter sobrement" course, loaded by migration 0002 (admins edit it afterwards).

Figures come from the sources the estimator cites (estimator/reference_data.py, REFERENCE_CASES).
"""

from __future__ import annotations

from typing import Any

COURSE = {
    "slug": "frugal-prompting",
    "title_en": "Frugal prompting",
    "title_fr": "Prompter sobrement",
    "summary_en": (
        "Five short modules on getting the result you need from generative AI with fewer prompts and shorter "
        "outputs, on the right model and in the right place. You do a few practice tasks before and after: the "
        "portal measures the difference."
    ),
    "summary_fr": (
        "Cinq modules courts pour obtenir de l'IA générative le résultat voulu avec moins de prompts et des réponses "
        "plus courtes, sur le bon modèle et au bon endroit. Vous faites quelques exercices avant et après : le "
        "portail mesure la différence."
    ),
}

MODULES: list[dict[str, Any]] = [
    {
        "title_en": "Why generative AI has a footprint",
        "title_fr": "Pourquoi l'IA générative a une empreinte",
        "body_en": """A generative model has two phases with an impact. **Training** happens once: Meta reports
2,290 tCO2e (location-based) for pre-training Llama 3 8B and 70B on 7.7 million GPU-hours. **Inference** —
every time someone uses the model — happens billions of times: a 2025 study by The Brandtech Group,
fifty-five and Scope3 estimates one year of use of the Llama 3 series at about **240,000 tCO2e**.

How much is one answer? Published figures range from about **0.02 Wh** (a small model, GPU only) to
**0.24 Wh** (Google, median Gemini prompt, 2025) and **0.34 Wh** (OpenAI, average ChatGPT query, 2025),
up to **2.9 Wh** in 2023 estimates. They differ mostly by what they count (the chip alone, or the whole
data centre). An image costs far more: about **60 times** a text answer on average (Luccioni et al.,
*Power Hungry Processing*, 2024).

The same request can emit **42 times** more in Mumbai (679 gCO2e/kWh) than in Paris (16 gCO2e/kWh),
according to Google's 2024 data for its cloud regions.

Four levers cut the footprint: **#1** a region with low-carbon electricity, **#2** fewer iterations,
**#3** smaller outputs, **#4** a model sized to the need. Applied together they divide it by about 4.
The next modules teach levers 2 to 4 — the ones in your hands.""",
        "body_fr": """Un modèle génératif a deux phases qui ont un impact. L'**entraînement** a lieu une fois :
Meta déclare 2 290 tCO2e (méthode location-based) pour le pré-entraînement de Llama 3 8B et 70B, sur
7,7 millions d'heures-GPU. L'**inférence** — chaque utilisation du modèle — a lieu des milliards de fois :
une étude de 2025 de The Brandtech Group, fifty-five et Scope3 estime une année d'utilisation de la série
Llama 3 à environ **240 000 tCO2e**.

Combien pour une réponse ? Les chiffres publiés vont d'environ **0,02 Wh** (petit modèle, GPU seul) à
**0,24 Wh** (Google, requête Gemini médiane, 2025) et **0,34 Wh** (OpenAI, requête ChatGPT moyenne, 2025),
jusqu'à **2,9 Wh** dans des estimations de 2023. Ils diffèrent surtout par ce qu'ils comptent (la puce seule,
ou tout le centre de données). Une image coûte bien plus : environ **60 fois** une réponse texte en moyenne
(Luccioni et al., *Power Hungry Processing*, 2024).

La même requête peut émettre **42 fois** plus à Mumbai (679 gCO2e/kWh) qu'à Paris (16 gCO2e/kWh), selon les
données 2024 de Google pour ses régions cloud.

Quatre leviers réduisent l'empreinte : **n°1** une région à l'électricité bas carbone, **n°2** moins
d'itérations, **n°3** des réponses plus courtes, **n°4** un modèle adapté au besoin. Ensemble, ils la
divisent par environ 4. Les modules suivants enseignent les leviers 2 à 4 — ceux qui sont entre vos mains.""",
        "questions": [
            {
                "text_en": "Over a model's life, which phase usually weighs most for a widely used model?",
                "text_fr": "Sur la vie d'un modèle très utilisé, quelle phase pèse le plus en général ?",
                "choices": [
                    (
                        "Training: it happens once but is huge",
                        "L'entraînement : une seule fois mais énorme",
                        False,
                        "Training is large, but for a popular model the uses add up to far more.",
                        "L'entraînement est important, mais pour un modèle populaire les utilisations pèsent bien plus.",
                    ),
                    (
                        "Inference: the billions of uses",
                        "L'inférence : les milliards d'utilisations",
                        True,
                        "Right: for Llama 3, training is about 2,290 tCO2e; a year of use was estimated at about 240,000.",
                        "Exact : pour Llama 3, l'entraînement pèse environ 2 290 tCO2e ; une année d'utilisation a été estimée à environ 240 000.",
                    ),
                    (
                        "They are always equal",
                        "Elles sont toujours égales",
                        False,
                        "No: it depends on how much the model is used.",
                        "Non : cela dépend de l'usage du modèle.",
                    ),
                ],
            },
            {
                "text_en": "Why do published figures per answer differ by more than ten times?",
                "text_fr": "Pourquoi les chiffres publiés par réponse diffèrent-ils de plus d'un facteur dix ?",
                "choices": [
                    (
                        "Because some companies lie",
                        "Parce que certaines entreprises mentent",
                        False,
                        "Boundaries, hardware and batch sizes explain most of the gap.",
                        "Le périmètre, le matériel et la taille des lots expliquent l'essentiel de l'écart.",
                    ),
                    (
                        "Because electricity is measured in different units",
                        "Parce que l'électricité est mesurée dans des unités différentes",
                        False,
                        "They all use watt-hours; what differs is the boundary.",
                        "Tous utilisent des wattheures ; c'est le périmètre qui diffère.",
                    ),
                    (
                        "Mostly because they do not count the same things",
                        "Surtout parce qu'ils ne comptent pas la même chose",
                        True,
                        "Yes: the chip alone, the whole server, or the whole data centre give very different numbers.",
                        "Oui : la puce seule, le serveur entier ou tout le centre de données donnent des chiffres très différents.",
                    ),
                ],
            },
        ],
    },
    {
        "title_en": "Writing a precise brief",
        "title_fr": "Rédiger une consigne précise",
        "body_en": """Every vague prompt costs at least one more iteration. A precise brief gets a usable answer
the first time. Give the model what a colleague would need:

- **Context**: who you are, what it is for. *"Internal newsletter for 300 staff of a logistics company."*
- **Goal**: the one thing the text must do. *"Tell staff that the canteen closes early on Friday."*
- **Audience and tone**: *"Friendly, no jargon."*
- **Constraints**: facts, names, dates that must appear; what must not.
- **Format**: *"Three sentences"*, *"a table with two columns"*.
- **An example**, when you have one: the model imitates it better than a description.

Before: *"Write something about the canteen."* — likely three or four tries.
After: *"Write a 3-sentence announcement for our internal newsletter (300 staff): the canteen closes at 1 pm
this Friday for maintenance; the coffee corner stays open. Friendly tone."* — usually right at once.

Before sending, check your prompt against the result you need: if you can list what you will check in the
answer, put it in the prompt.""",
        "body_fr": """Chaque prompt flou coûte au moins une itération de plus. Une consigne précise donne une réponse
utilisable du premier coup. Donnez au modèle ce dont un collègue aurait besoin :

- **Le contexte** : qui vous êtes, à quoi cela sert. *« Lettre interne pour 300 salariés d'une entreprise de logistique. »*
- **L'objectif** : la seule chose que le texte doit faire. *« Annoncer que la cantine ferme tôt vendredi. »*
- **Le public et le ton** : *« Chaleureux, sans jargon. »*
- **Les contraintes** : faits, noms, dates qui doivent figurer ; ce qui ne doit pas figurer.
- **Le format** : *« Trois phrases »*, *« un tableau à deux colonnes »*.
- **Un exemple**, si vous en avez un : le modèle l'imite mieux qu'une description.

Avant : *« Écris quelque chose sur la cantine. »* — sans doute trois ou quatre essais.
Après : *« Écris une annonce de 3 phrases pour notre lettre interne (300 salariés) : la cantine ferme à 13 h
ce vendredi pour maintenance ; le coin café reste ouvert. Ton chaleureux. »* — en général juste du premier coup.

Avant d'envoyer, comparez votre prompt au résultat attendu : si vous pouvez lister ce que vous vérifierez
dans la réponse, mettez-le dans le prompt.""",
        "questions": [
            {
                "text_en": "Which prompt is most likely to be right the first time?",
                "text_fr": "Quel prompt a le plus de chances d'être juste du premier coup ?",
                "choices": [
                    (
                        "“3-sentence announcement for 300 staff: canteen closes at 1 pm Friday; coffee corner open; friendly.”",
                        "« Annonce de 3 phrases pour 300 salariés : cantine fermée à 13 h vendredi ; coin café ouvert ; ton chaleureux. »",
                        True,
                        "It gives context, goal, facts, format and tone: nothing left to guess.",
                        "Il donne contexte, objectif, faits, format et ton : rien à deviner.",
                    ),
                    (
                        "“Write something about the canteen.”",
                        "« Écris quelque chose sur la cantine. »",
                        False,
                        "The model has to guess everything: expect several tries.",
                        "Le modèle doit tout deviner : attendez-vous à plusieurs essais.",
                    ),
                    (
                        "“Write the best possible announcement about the canteen for everyone: engaging, "
                        "complete and professional.”",
                        "« Écris la meilleure annonce possible sur la cantine pour tout le monde : engageante, "
                        "complète et professionnelle. »",
                        False,
                        "Long is not precise: “best”, “engaging” and “complete” say nothing about the facts, the "
                        "length or the audience.",
                        "Long n'est pas précis : « meilleure », « engageante » et « complète » ne disent rien des "
                        "faits, de la longueur ni du public.",
                    ),
                ],
            },
            {
                "text_en": "What helps a model imitate the format you want most?",
                "text_fr": "Qu'est-ce qui aide le plus un modèle à imiter le format voulu ?",
                "choices": [
                    (
                        "Repeating the request in capital letters",
                        "Répéter la demande en majuscules",
                        False,
                        "Emphasis does not add information.",
                        "Insister n'ajoute aucune information.",
                    ),
                    (
                        "Asking it to try several versions",
                        "Lui demander plusieurs versions",
                        False,
                        "Several versions multiply the output — and the footprint.",
                        "Plusieurs versions multiplient la réponse — et l'empreinte.",
                    ),
                    (
                        "An example of the expected result",
                        "Un exemple du résultat attendu",
                        True,
                        "Yes: an example is the most precise description of a format.",
                        "Oui : un exemple est la description la plus précise d'un format.",
                    ),
                ],
            },
        ],
    },
    {
        "title_en": "Asking for the output size you need",
        "title_fr": "Demander la taille de réponse nécessaire",
        "body_en": """A model's energy grows with every token it generates: in EcoLogits' method, the energy of a
request is proportional to its output tokens. An answer twice as long costs about twice as much. Long
answers also take longer to read.

- **Say the length**: *"in 3 bullet points"*, *"under 80 words"*, *"one paragraph"*.
- **Ask only for what changed**: *"Give me only the corrected sentence"*, not the whole text again.
- **Skip the padding**: *"No introduction, no conclusion."*
- **Reuse, don't regenerate**: keep a good answer and ask for the next part.

For images, size is pixels and count. Energy grows with the number of denoising steps and with the pixels,
though less than in proportion: measured on 17 models, a 512×512 image (a quarter of the pixels) takes 1.3 to
4.7 times less energy than a 1024×1024 one, about 2.5 times less in the middle. Ask for **one** image at the
size you will publish, not four variants at full resolution.""",
        "body_fr": """L'énergie d'un modèle augmente avec chaque token qu'il génère : dans la méthode d'EcoLogits,
l'énergie d'une requête est proportionnelle à ses tokens en sortie. Une réponse deux fois plus longue coûte
environ deux fois plus. Les réponses longues prennent aussi plus de temps à lire.

- **Dites la longueur** : *« en 3 puces »*, *« moins de 80 mots »*, *« un paragraphe »*.
- **Demandez seulement ce qui change** : *« Donne-moi seulement la phrase corrigée »*, pas tout le texte.
- **Supprimez le remplissage** : *« Pas d'introduction, pas de conclusion. »*
- **Réutilisez au lieu de régénérer** : gardez une bonne réponse et demandez la suite.

Pour les images, la taille, ce sont les pixels et le nombre. L'énergie croît avec le nombre d'étapes de
débruitage et avec les pixels, mais moins que proportionnellement : mesurée sur 17 modèles, une image 512×512
(le quart des pixels) demande de 1,3 à 4,7 fois moins d'énergie qu'une 1024×1024, environ 2,5 fois moins au
milieu. Demandez **une** image à la taille où vous la publierez, pas quatre variantes en pleine résolution.""",
        "questions": [
            {
                "text_en": "You need to fix one sentence of a 2-page text. What do you ask?",
                "text_fr": "Vous devez corriger une phrase d'un texte de 2 pages. Que demandez-vous ?",
                "choices": [
                    (
                        "The whole text, corrected",
                        "Tout le texte, corrigé",
                        False,
                        "That regenerates two pages to change one sentence.",
                        "Cela régénère deux pages pour changer une phrase.",
                    ),
                    (
                        "Only the corrected sentence",
                        "Seulement la phrase corrigée",
                        True,
                        "Right: a few tokens instead of two pages.",
                        "Exact : quelques tokens au lieu de deux pages.",
                    ),
                    (
                        "Three versions of the whole text",
                        "Trois versions de tout le texte",
                        False,
                        "Six pages of output for one sentence.",
                        "Six pages générées pour une phrase.",
                    ),
                ],
            },
            {
                "text_en": "How does the energy of an image change from 1024×1024 to 512×512 (same steps)?",
                "text_fr": "Comment évolue l'énergie d'une image de 1024×1024 à 512×512 (mêmes étapes) ?",
                "choices": [
                    (
                        "Lower, but not four times lower",
                        "Plus faible, mais pas quatre fois",
                        True,
                        "Yes: four times fewer pixels, and 1.3 to 4.7 times less energy as measured on 17 models "
                        "(Bertazzini et al., 2025), about 2.5 times less in the middle.",
                        "Oui : quatre fois moins de pixels, et de 1,3 à 4,7 fois moins d'énergie mesurée sur 17 "
                        "modèles (Bertazzini et al., 2025), environ 2,5 fois moins au milieu.",
                    ),
                    (
                        "Exactly four times lower, like the pixels",
                        "Exactement quatre fois plus faible, comme les pixels",
                        False,
                        "The pixels are divided by four, but the measured energy falls by 1.3 to 4.7 times, "
                        "not in proportion.",
                        "Les pixels sont divisés par quatre, mais l'énergie mesurée baisse de 1,3 à 4,7 fois, "
                        "pas en proportion.",
                    ),
                    (
                        "Unchanged",
                        "Inchangée",
                        False,
                        "Fewer pixels means less computation.",
                        "Moins de pixels, c'est moins de calcul.",
                    ),
                ],
            },
        ],
    },
    {
        "title_en": "Iterating by editing rather than regenerating",
        "title_fr": "Itérer en retouchant plutôt qu'en régénérant",
        "body_en": """Each prompt you send is one more generation. Most extra iterations come from regenerating a
whole answer to fix a detail.

- **Edit it yourself** when the fix is small: a word, a date, a name. Faster than any prompt.
- **Target the fix**: *"Shorten the second paragraph to two sentences"* rather than *"Try again"*.
- **Keep what works**: say what to keep (*"keep the title and the list"*) so it is not rewritten.
- **Stop when it meets your checklist**. "Better" has no end; "meets the need" does.

For images: describe subject, style, framing and what must not appear in the first prompt; then edit
(crop, inpaint one area) instead of generating a new image from scratch. The study behind this portal
found that people trained in prompting need far fewer iterations per image.""",
        "body_fr": """Chaque prompt envoyé est une génération de plus. La plupart des itérations en trop viennent de
la régénération d'une réponse entière pour corriger un détail.

- **Retouchez vous-même** quand la correction est petite : un mot, une date, un nom. Plus rapide que tout prompt.
- **Ciblez la correction** : *« Raccourcis le deuxième paragraphe à deux phrases »* plutôt que *« Réessaie »*.
- **Gardez ce qui marche** : dites ce qu'il faut garder (*« garde le titre et la liste »*) pour qu'il ne soit pas réécrit.
- **Arrêtez-vous quand la liste de contrôle est remplie**. « Mieux » n'a pas de fin ; « répond au besoin », si.

Pour les images : décrivez sujet, style, cadrage et ce qui ne doit pas apparaître dès le premier prompt ;
puis retouchez (recadrer, modifier une zone) au lieu de générer une nouvelle image de zéro. L'étude à
l'origine de ce portail a constaté que les personnes formées au prompting ont besoin de bien moins
d'itérations par image.""",
        "questions": [
            {
                "text_en": "The answer is right except a wrong date. What do you do?",
                "text_fr": "La réponse est juste sauf une date erronée. Que faites-vous ?",
                "choices": [
                    (
                        "Ask it to try again",
                        "Je lui demande de réessayer",
                        False,
                        "A full new answer for one date — and it may change what was right.",
                        "Une réponse entière pour une date — et elle peut changer ce qui était juste.",
                    ),
                    (
                        "Start a new conversation",
                        "J'ouvre une nouvelle conversation",
                        False,
                        "You lose the context and start over.",
                        "Vous perdez le contexte et recommencez.",
                    ),
                    (
                        "Correct the date myself",
                        "Je corrige la date moi-même",
                        True,
                        "Yes: no generation needed.",
                        "Oui : aucune génération nécessaire.",
                    ),
                ],
            },
            {
                "text_en": "When should you stop iterating?",
                "text_fr": "Quand faut-il arrêter d'itérer ?",
                "choices": [
                    (
                        "When the model has produced ten versions",
                        "Quand le modèle a produit dix versions",
                        False,
                        "A number of versions says nothing about the need.",
                        "Un nombre de versions ne dit rien du besoin.",
                    ),
                    (
                        "When the result meets the checklist of the need",
                        "Quand le résultat remplit la liste de contrôle du besoin",
                        True,
                        "Right: that is the quality gate of your practice tasks too.",
                        "Exact : c'est aussi le critère de qualité de vos exercices.",
                    ),
                    (
                        "Never: it can always be better",
                        "Jamais : on peut toujours faire mieux",
                        False,
                        "“Better” has no end; the need does.",
                        "« Mieux » n'a pas de fin ; le besoin, si.",
                    ),
                ],
            },
        ],
    },
    {
        "title_en": "Choosing the model and the region",
        "title_fr": "Choisir le modèle et la région",
        "body_en": """The biggest model is rarely needed. In EcoLogits' method, energy per token grows with the
number of active parameters: a 405-billion-parameter model uses about a hundred times the energy of an
8-billion one for the same answer. Summaries, rewording, translation of simple texts and classification
work well on small models; keep large ones for hard reasoning.

Where the model runs matters as much. Google's 2024 data gives 2.7 gCO2e/kWh in Stockholm, 16 in Paris,
413 in Iowa and 679 in Mumbai. For the same work, the region can change emissions by more than a hundred.
When you choose a provider or a cloud region, prefer a low-carbon grid.

Use the portal's **estimator** to compare: its comparison page shows your task across six models and
eight regions. And before starting a new use of AI, register it: the **use-case** review checks that its
value outweighs its footprint.""",
        "body_fr": """Le plus gros modèle est rarement nécessaire. Dans la méthode d'EcoLogits, l'énergie par token
croît avec le nombre de paramètres actifs : un modèle de 405 milliards de paramètres consomme environ cent
fois l'énergie d'un modèle de 8 milliards pour la même réponse. Résumés, reformulations, traduction de textes
simples et classement fonctionnent bien sur de petits modèles ; gardez les grands pour le raisonnement difficile.

L'endroit où tourne le modèle compte autant. Les données 2024 de Google donnent 2,7 gCO2e/kWh à Stockholm,
16 à Paris, 413 dans l'Iowa et 679 à Mumbai. Pour le même travail, la région peut changer les émissions de
plus d'un facteur cent. Quand vous choisissez un fournisseur ou une région cloud, préférez un réseau bas carbone.

Utilisez l'**estimateur** du portail pour comparer : sa page de comparaison montre votre tâche sur six modèles
et huit régions. Et avant de lancer un nouvel usage de l'IA, déclarez-le : l'examen des **cas d'usage**
vérifie que sa valeur l'emporte sur son empreinte.""",
        "questions": [
            {
                "text_en": "You need to reword 200 short product descriptions. Which model?",
                "text_fr": "Vous devez reformuler 200 courtes fiches produit. Quel modèle ?",
                "choices": [
                    (
                        "A small model (about 8 billion parameters)",
                        "Un petit modèle (environ 8 milliards de paramètres)",
                        True,
                        "Yes: rewording is simple; a small model does it for a fraction of the energy.",
                        "Oui : reformuler est simple ; un petit modèle le fait pour une fraction de l'énergie.",
                    ),
                    (
                        "The largest model available, for the best quality",
                        "Le plus gros modèle disponible, pour la meilleure qualité",
                        False,
                        "About a hundred times the energy per answer for no visible gain.",
                        "Environ cent fois l'énergie par réponse, sans gain visible.",
                    ),
                    (
                        "An image model",
                        "Un modèle d'images",
                        False,
                        "The task is text.",
                        "La tâche est du texte.",
                    ),
                ],
            },
            {
                "text_en": "Which region emits least for the same work (Google, 2024)?",
                "text_fr": "Quelle région émet le moins pour le même travail (Google, 2024) ?",
                "choices": [
                    (
                        "Iowa (us-central1)",
                        "Iowa (us-central1)",
                        False,
                        "About 413 gCO2e per kWh.",
                        "Environ 413 gCO2e par kWh.",
                    ),
                    (
                        "Mumbai (asia-south1)",
                        "Mumbai (asia-south1)",
                        False,
                        "About 679 gCO2e per kWh: the highest of the three.",
                        "Environ 679 gCO2e par kWh : la plus élevée des trois.",
                    ),
                    (
                        "Stockholm (europe-north2)",
                        "Stockholm (europe-north2)",
                        True,
                        "Right: about 2.7 gCO2e per kWh.",
                        "Exact : environ 2,7 gCO2e par kWh.",
                    ),
                ],
            },
        ],
    },
]

TASKS: list[dict[str, Any]] = [
    {
        "set": "A",
        "order": 1,
        "kind": "text",
        "title_en": "Announce new office hours",
        "title_fr": "Annoncer de nouveaux horaires",
        "brief_en": "Write an internal announcement: from 1 March the office closes at 6 pm instead of 7 pm. It goes to all 300 staff by e-mail.",
        "brief_fr": "Rédigez une annonce interne : à partir du 1er mars, les bureaux ferment à 18 h au lieu de 19 h. Elle part par e-mail aux 300 salariés.",
        "checklist_en": "States the new closing time and the start date\nUnder 80 words\nFriendly tone\nSays whom to contact (facilities@)",
        "checklist_fr": "Indique le nouvel horaire et la date de début\nMoins de 80 mots\nTon chaleureux\nDit qui contacter (services-generaux@)",
    },
    {
        "set": "A",
        "order": 2,
        "kind": "text",
        "title_en": "Summarise a meeting",
        "title_fr": "Résumer une réunion",
        "brief_en": "Summarise these notes for people who missed the meeting: 'Budget 2027 agreed at 1.2 M€ (Anna). Move to the new CRM postponed to June (Marc to tell sales). Hiring: two developers, job ads by Friday (Lea). Next meeting 12 May.'",
        "brief_fr": "Résumez ces notes pour les absents : « Budget 2027 validé à 1,2 M€ (Anna). Passage au nouveau CRM reporté à juin (Marc prévient les commerciaux). Recrutement : deux développeurs, annonces d'ici vendredi (Léa). Prochaine réunion le 12 mai. »",
        "checklist_en": "Lists the three decisions\nGives an owner for each\nFive bullet points at most\nMentions the next meeting",
        "checklist_fr": "Liste les trois décisions\nDonne un responsable pour chacune\nCinq puces au plus\nMentionne la prochaine réunion",
    },
    {
        "set": "A",
        "order": 3,
        "kind": "image",
        "title_en": "Illustrate an article on cycling to work",
        "title_fr": "Illustrer un article sur le vélo au travail",
        "brief_en": "An illustration for the intranet article 'Cycling to work: the new bike shelter'. It will be shown at 1200×675 pixels.",
        "brief_fr": "Une illustration pour l'article intranet « Venir à vélo : le nouvel abri ». Elle sera affichée en 1200×675 pixels.",
        "checklist_en": "Shows a bicycle and an office building\nFlat illustration style\nNo text in the image\nLandscape format (16:9)",
        "checklist_fr": "Montre un vélo et un immeuble de bureaux\nStyle illustration à plat\nAucun texte dans l'image\nFormat paysage (16:9)",
    },
    {
        "set": "B",
        "order": 1,
        "kind": "text",
        "title_en": "Announce a new expense tool",
        "title_fr": "Annoncer un nouvel outil de notes de frais",
        "brief_en": "Write an internal announcement: from 1 April expense claims go through the new tool 'Spendly' instead of paper forms. It goes to all 300 staff by e-mail.",
        "brief_fr": "Rédigez une annonce interne : à partir du 1er avril, les notes de frais passent par le nouvel outil « Spendly » au lieu des formulaires papier. Elle part par e-mail aux 300 salariés.",
        "checklist_en": "States the new tool and the start date\nUnder 80 words\nFriendly tone\nSays whom to contact (finance@)",
        "checklist_fr": "Indique le nouvel outil et la date de début\nMoins de 80 mots\nTon chaleureux\nDit qui contacter (finance@)",
    },
    {
        "set": "B",
        "order": 2,
        "kind": "text",
        "title_en": "Summarise a project update",
        "title_fr": "Résumer un point projet",
        "brief_en": "Summarise these notes for the steering committee: 'Website redesign 70 % done (Paul). Risk: payment provider late, go-live may slip two weeks (Ines to call them). Accessibility audit booked for 3 June (Sam). Next update 20 May.'",
        "brief_fr": "Résumez ces notes pour le comité de pilotage : « Refonte du site à 70 % (Paul). Risque : prestataire de paiement en retard, mise en ligne décalée de deux semaines (Inès l'appelle). Audit d'accessibilité réservé le 3 juin (Sam). Prochain point le 20 mai. »",
        "checklist_en": "Lists the three points\nGives an owner for each\nFive bullet points at most\nMentions the next update",
        "checklist_fr": "Liste les trois points\nDonne un responsable pour chacun\nCinq puces au plus\nMentionne le prochain point",
    },
    {
        "set": "B",
        "order": 3,
        "kind": "image",
        "title_en": "Illustrate an article on the new vegetarian menu",
        "title_fr": "Illustrer un article sur le nouveau menu végétarien",
        "brief_en": "An illustration for the intranet article 'The canteen's new vegetarian menu'. It will be shown at 1200×675 pixels.",
        "brief_fr": "Une illustration pour l'article intranet « Le nouveau menu végétarien de la cantine ». Elle sera affichée en 1200×675 pixels.",
        "checklist_en": "Shows vegetables and a plate\nFlat illustration style\nNo text in the image\nLandscape format (16:9)",
        "checklist_fr": "Montre des légumes et une assiette\nStyle illustration à plat\nAucun texte dans l'image\nFormat paysage (16:9)",
    },
]


def load(apps: Any) -> None:
    """Create or update the course, its modules, quizzes and practice tasks (by slug and order)."""
    Course = apps.get_model("courses", "Course")
    Module = apps.get_model("courses", "Module")
    Question = apps.get_model("courses", "Question")
    Choice = apps.get_model("courses", "Choice")
    PracticeTask = apps.get_model("courses", "PracticeTask")
    TrainingSettings = apps.get_model("courses", "TrainingSettings")

    course, _ = Course.objects.update_or_create(slug=COURSE["slug"], defaults=COURSE)
    for order, data in enumerate(MODULES, start=1):
        fields = {key: value for key, value in data.items() if key != "questions"}
        module, _ = Module.objects.update_or_create(course=course, order=order, defaults=fields)
        module.questions.all().delete()
        for question_order, question_data in enumerate(data["questions"], start=1):
            question = Question.objects.create(
                module=module,
                order=question_order,
                text_en=question_data["text_en"],
                text_fr=question_data["text_fr"],
            )
            for text_en, text_fr, correct, feedback_en, feedback_fr in question_data["choices"]:
                Choice.objects.create(
                    question=question,
                    text_en=text_en,
                    text_fr=text_fr,
                    correct=correct,
                    feedback_en=feedback_en,
                    feedback_fr=feedback_fr,
                )
    for data in TASKS:
        PracticeTask.objects.update_or_create(
            course=course, set=data["set"], order=data["order"], defaults=data
        )
    TrainingSettings.objects.get_or_create(pk=1)
